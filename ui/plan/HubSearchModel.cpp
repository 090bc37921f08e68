#include "plan/HubSearchModel.h"

#include "hub/ModelSupport.h"
#include "hub/OfflineSnapshot.h"
#include "hub/SnapshotSearch.h"

#include <QLocale>

namespace vibeml {
namespace {

constexpr int kPageSize = 30;
constexpr int kMinimumQuery = 2;

bool hubUnreachable(const hub::HubError &error)
{
    using Kind = hub::HubError::Kind;
    return error.kind == Kind::Offline || error.kind == Kind::NetworkError || error.kind == Kind::Timeout
           || error.kind == Kind::ServerError || error.kind == Kind::RateLimited;
}

QString accessText(const hub::SearchHit &hit)
{
    if (hit.isPrivate)
        return HubSearchModel::tr("private");
    if (!hit.gated)
        return QString();
    switch (*hit.gated) {
    case hub::GatedMode::NotGated:
        return HubSearchModel::tr("open");
    case hub::GatedMode::Auto:
        return HubSearchModel::tr("gated");
    case hub::GatedMode::Manual:
        return HubSearchModel::tr("gated (approval)");
    }
    return QString();
}

} // namespace

HubSearchModel::HubSearchModel(hub::HubClient &client, hub::RepoKind kind, const hub::OfflineSnapshot *snapshot,
                               QObject *parent)
    : QAbstractTableModel(parent), m_client(client), m_kind(kind), m_snapshot(snapshot)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(std::chrono::milliseconds(300));
    connect(&m_debounce, &QTimer::timeout, this, &HubSearchModel::startSearch);
}

void HubSearchModel::setQuery(const QString &query)
{
    const QString trimmed = query.trimmed();
    if (trimmed == m_query && !trimmed.isEmpty())
        return; // e.g. a trailing space: the same search
    m_query = trimmed;
    if (m_handle != 0) {
        m_client.cancel(m_handle);
        m_handle = 0;
    }
    ++m_generation;
    if (m_query.isEmpty()) {
        m_debounce.stop();
        showRecent();
        return;
    }
    if (m_query.size() >= kMinimumQuery) {
        // Asked before and still fresh: no reason to wait for the typing to pause.
        if (const auto cached = m_client.cachedSearch(m_kind, m_query, kPageSize)) {
            m_debounce.stop();
            showPage(*cached);
            Q_EMIT searchFinished();
            return;
        }
    }
    m_debounce.start();
}

void HubSearchModel::searchNow()
{
    if (m_query.isEmpty())
        return;
    m_debounce.stop();
    startSearch();
}

void HubSearchModel::startSearch()
{
    if (m_handle != 0)
        m_client.cancel(m_handle);
    m_handle = 0;
    const quint64 generation = ++m_generation;
    if (m_query.size() < kMinimumQuery) {
        showHits({}, tr("Type at least %1 characters to search the Hub.").arg(kMinimumQuery));
        return;
    }
    setStatus(tr("Searching the Hub for “%1”…").arg(m_query));
    m_handle = m_client.search(m_kind, m_query, kPageSize, this, [this, generation](const hub::HubResult<hub::SearchPage> &result) {
        onAnswer(generation, result);
    });
}

void HubSearchModel::onAnswer(quint64 generation, const hub::HubResult<hub::SearchPage> &result)
{
    if (generation != m_generation)
        return; // an older query's answer: the user has typed on since
    m_handle = 0;
    if (result) {
        showPage(result.value());
    } else if (m_snapshot && !m_snapshot->isEmpty() && hubUnreachable(result.error())) {
        const hub::SearchPage page = hub::searchSnapshot(*m_snapshot, m_kind, m_query, kPageSize);
        const QString origin = hub::describeOrigin(hub::AnswerOrigin::Snapshot, QDateTime(m_snapshot->capturedOn(), QTime(0, 0), Qt::UTC));
        showHits(page.hits, tr("%1 — %2: %n match(es)", nullptr, static_cast<int>(page.hits.size()))
                                .arg(result.error().message, origin));
    } else {
        showHits({}, result.error().message);
    }
    Q_EMIT searchFinished();
}

void HubSearchModel::showPage(const hub::Fetched<hub::SearchPage> &page)
{
    const QString noun = m_kind == hub::RepoKind::Model ? tr("models") : tr("datasets");
    const QString origin = hub::describeOrigin(page.origin, page.fetchedAt);
    showHits(page.value.hits, page.value.hits.isEmpty()
                                  ? tr("No %1 match “%2” (%3). Type a full id such as org/name and press Enter to use it.")
                                        .arg(noun, m_query, origin)
                                  : tr("%n result(s), %1", nullptr, static_cast<int>(page.value.hits.size())).arg(origin));
}

void HubSearchModel::showHits(QList<hub::SearchHit> hits, const QString &status)
{
    beginResetModel();
    m_hits = std::move(hits);
    m_showingRecent = false;
    endResetModel();
    setStatus(status);
}

void HubSearchModel::setRecent(const QStringList &ids)
{
    m_recent = ids;
    if (m_showingRecent)
        showRecent();
}

void HubSearchModel::showRecent()
{
    QList<hub::SearchHit> hits;
    for (const QString &id : std::as_const(m_recent)) {
        hub::SearchHit hit;
        hit.kind = m_kind;
        hit.id = id;
        hits.append(hit);
    }
    beginResetModel();
    m_hits = hits;
    m_showingRecent = true;
    endResetModel();
    setStatus(m_recent.isEmpty() ? QString() : tr("Recently picked"));
}

void HubSearchModel::setStatus(const QString &status)
{
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChanged(m_status);
}

QString HubSearchModel::idAt(int row) const
{
    return row >= 0 && row < m_hits.size() ? m_hits.at(row).id : QString();
}

int HubSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_hits.size());
}

int HubSearchModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HubSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const hub::SearchHit &hit = m_hits.at(index.row());
    const bool known = !m_showingRecent;
    if (role == IdRole)
        return hit.id;
    if (role == RestrictedRole)
        return hit.isPrivate || (hit.gated && *hit.gated != hub::GatedMode::NotGated);
    if (role == SortRole) {
        switch (index.column()) {
        case DownloadsColumn:
            return hit.downloads;
        case LikesColumn:
            return hit.likes;
        case SizeColumn:
            return hit.parameterCount.value_or(0);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == DownloadsColumn || index.column() == LikesColumn || index.column() == SizeColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == AccessColumn && hit.gated && *hit.gated != hub::GatedMode::NotGated)
        return tr("The authors must grant your Hugging Face account access before it can be downloaded.");
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case IdColumn:
        return hit.id;
    case DownloadsColumn:
        return known ? locale.toString(hit.downloads) : QString();
    case LikesColumn:
        return known ? locale.toString(hit.likes) : QString();
    case SizeColumn:
        return hit.parameterCount ? hub::formatParameterCount(*hit.parameterCount) : QString();
    case AccessColumn:
        return accessText(hit);
    case LicenceColumn:
        return hit.licenses.join(QStringLiteral(", "));
    default:
        return {};
    }
}

QVariant HubSearchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return m_kind == hub::RepoKind::Model ? tr("Model") : tr("Dataset");
    case DownloadsColumn:
        return tr("Downloads");
    case LikesColumn:
        return tr("Likes");
    case SizeColumn:
        return tr("Parameters");
    case AccessColumn:
        return tr("Access");
    case LicenceColumn:
        return tr("Licence");
    default:
        return {};
    }
}

} // namespace vibeml

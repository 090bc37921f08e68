#include "jobs/JobsTableModel.h"

#include "cost/CostTable.h"
#include "joblog/JobProgressStrip.h"
#include "jobs/JobMonitor.h"
#include "jobs/JobStore.h"
#include "plan/PlanStyle.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSet>
#include <QStyle>

namespace vibeml {

planstyle::Tone JobsTableModel::stateTone(const jobs::JobRecord &job)
{
    using jobs::JobState;
    if (job.state == JobState::Lost || job.outcome == JobState::Failed || job.state == JobState::Failed)
        return planstyle::Tone::Problem;
    if (job.outcome == JobState::Succeeded || job.state == JobState::Running)
        return planstyle::Tone::Good;
    if (job.outcome == JobState::Cancelled || job.state == JobState::Stopped || jobs::isTerminal(job.state))
        return planstyle::Tone::Muted;
    return planstyle::Tone::Caution; // launching, provisioning, setting up, recovering, tearing down
}

namespace {

// The parts of a row people see: a re-read that changes none of them changes nothing on screen.
bool sameOnScreen(const jobs::JobRecord &a, const jobs::JobRecord &b)
{
    return a.updatedAt == b.updatedAt && a.state == b.state && a.outcome == b.outcome && a.archived == b.archived
           && a.billingSince == b.billingSince && a.billedSeconds == b.billedSeconds && a.accruedUsd == b.accruedUsd
           && a.actualUsd == b.actualUsd && a.budgetCapUsd == b.budgetCapUsd && a.tornDownAt == b.tornDownAt
           && a.progress.updatedAt == b.progress.updatedAt && a.reason == b.reason;
}

} // namespace

JobsTableModel::JobsTableModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_timer.setInterval(std::chrono::seconds(1));
    connect(&m_timer, &QTimer::timeout, this, &JobsTableModel::onTimer);
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(std::chrono::milliseconds(50));
    connect(&m_coalesce, &QTimer::timeout, this, &JobsTableModel::refresh);
}

void JobsTableModel::setStore(jobs::JobStore *store)
{
    m_store = store;
    m_seenVersion = -1;
    if (m_store)
        m_timer.start();
    else
        m_timer.stop();
    refresh();
}

void JobsTableModel::setMonitor(jobs::JobMonitor *monitor)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_monitorConnections))
        disconnect(connection);
    m_monitorConnections.clear();
    m_monitor = monitor;
    if (!monitor)
        return;
    m_monitorConnections << connect(monitor, &jobs::JobMonitor::jobsChanged, this, &JobsTableModel::scheduleRefresh)
                         << connect(monitor, &jobs::JobMonitor::progressUpdated, this, &JobsTableModel::scheduleRefresh);
}

void JobsTableModel::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(interval);
}

void JobsTableModel::scheduleRefresh()
{
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void JobsTableModel::onTimer()
{
    if (!m_store)
        return;
    // data_version moves when another connection (the CLI, the MCP server, `vibeml monitor`) commits.
    if (m_store->dataVersion() != m_seenVersion)
        refresh();
    else
        tickLiveRows();
}

void JobsTableModel::tickLiveRows()
{
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (!jobs::isTerminal(m_jobs.at(row).state))
            Q_EMIT dataChanged(index(row, Elapsed), index(row, Cost), {Qt::DisplayRole, SortRole, Qt::ToolTipRole});
    }
}

void JobsTableModel::refresh()
{
    m_coalesce.stop();
    QList<jobs::JobRecord> next;
    if (m_store) {
        m_seenVersion = m_store->dataVersion();
        auto loaded = m_store->jobs(jobs::JobStore::Which::All, true);
        if (!loaded) {
            // Keep showing what was read last; say why it is stale.
            if (m_loadError != loaded.error()) {
                m_loadError = loaded.error();
                Q_EMIT loadErrorChanged(m_loadError);
            }
            Q_EMIT refreshed();
            return;
        }
        next = loaded.value();
    }
    if (!m_loadError.isEmpty()) {
        m_loadError.clear();
        Q_EMIT loadErrorChanged(m_loadError);
    }

    QSet<QString> nextIds;
    nextIds.reserve(next.size());
    for (const jobs::JobRecord &job : std::as_const(next))
        nextIds.insert(job.id);

    // 1. Rows that went away (another journal, or a job no longer listed), in contiguous runs.
    for (int row = int(m_jobs.size()) - 1; row >= 0;) {
        if (nextIds.contains(m_jobs.at(row).id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !nextIds.contains(m_jobs.at(first - 1).id))
            --first;
        beginRemoveRows({}, first, row);
        m_jobs.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // 2. Walk the new order: keep, update, move or insert (new jobs arrive in runs).
    QSet<QString> present;
    for (const jobs::JobRecord &job : std::as_const(m_jobs))
        present.insert(job.id);
    for (int i = 0; i < next.size();) {
        const jobs::JobRecord &wanted = next.at(i);
        if (i < m_jobs.size() && m_jobs.at(i).id == wanted.id) {
            if (!sameOnScreen(m_jobs.at(i), wanted)) {
                m_jobs[i] = wanted;
                Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
            } else {
                m_jobs[i] = wanted;
            }
            ++i;
            continue;
        }
        if (present.contains(wanted.id)) {
            int from = i + 1;
            while (from < m_jobs.size() && m_jobs.at(from).id != wanted.id)
                ++from;
            beginMoveRows({}, from, from, {}, i);
            m_jobs.move(from, i);
            endMoveRows();
            continue; // compared on the next turn
        }
        int last = i;
        while (last + 1 < next.size() && !present.contains(next.at(last + 1).id))
            ++last;
        beginInsertRows({}, i, last);
        for (int k = i; k <= last; ++k) {
            m_jobs.insert(k, next.at(k));
            present.insert(next.at(k).id);
        }
        endInsertRows();
        i = last + 1;
    }
    Q_EMIT refreshed();
}

int JobsTableModel::rowOfJob(const QString &id) const
{
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs.at(row).id == id)
            return row;
    }
    return -1;
}

const jobs::JobRecord *JobsTableModel::jobAt(int row) const
{
    return row >= 0 && row < m_jobs.size() ? &m_jobs.at(row) : nullptr;
}

std::optional<jobs::JobRecord> JobsTableModel::job(const QString &id) const
{
    const int row = rowOfJob(id);
    return row >= 0 ? std::optional<jobs::JobRecord>(m_jobs.at(row)) : std::nullopt;
}

int JobsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobsTableModel::gpuText(const jobs::JobRecord &job)
{
    QString text = job.plan.accelerators();
    if (job.plan.nodes > 1)
        text = tr("%1 × %2 nodes").arg(text).arg(job.plan.nodes);
    if (job.plan.spot)
        text = tr("%1, spot").arg(text);
    return text;
}

QString JobsTableModel::costText(const jobs::JobRecord &job, const QDateTime &now)
{
    return tr("%1 / %2 / %3")
        .arg(cost::formatDollars(job.costAt(now)), cost::formatDollars(job.estimateHighUsd),
             job.budgetCapUsd ? cost::formatDollars(*job.budgetCapUsd) : tr("no cap"));
}

QString JobsTableModel::elapsedText(const jobs::JobRecord &job, const QDateTime &now)
{
    return JobProgressStrip::formatDuration(double(job.elapsedSecondsAt(now)));
}

QIcon JobsTableModel::stateIcon(const jobs::JobRecord &job) const
{
    const QColor color = planstyle::color(stateTone(job), QApplication::palette());
    const auto cached = m_icons.constFind(color.rgba());
    if (cached != m_icons.constEnd())
        return *cached;
    const int size = QApplication::style()->pixelMetric(QStyle::PM_SmallIconSize);
    const qreal ratio = qApp ? qApp->devicePixelRatio() : 1.0;
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        const qreal inset = size * 0.22;
        painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset));
    }
    QIcon icon(pixmap);
    m_icons.insert(color.rgba(), icon);
    return icon;
}

QVariant JobsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const jobs::JobRecord &job = m_jobs.at(index.row());
    const QDateTime now = m_store ? m_store->clock().now() : QDateTime::currentDateTimeUtc();
    const QDateTime started = job.launchStartedAt.isValid() ? job.launchStartedAt : job.createdAt;
    switch (role) {
    case JobIdRole:
        return job.id;
    case StateRole:
        return int(job.state);
    case ArchivedRole:
        return job.archived;
    case TerminalRole:
        return jobs::isTerminal(job.state);
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (index.column()) {
        case Name:
            return job.id;
        case Model:
            return job.plan.modelId;
        case Gpu:
            return gpuText(job);
        case State:
            return job.archived ? tr("%1, archived").arg(job.stateText()) : job.stateText();
        case Started:
            return QLocale().toString(started.toLocalTime(), QLocale::ShortFormat);
        case Elapsed:
            return elapsedText(job, now);
        case Cost:
            return costText(job, now);
        case Cluster:
            return job.cluster;
        }
        break;
    case SortRole:
        switch (index.column()) {
        case State:
            return int(job.state);
        case Started:
            return started.toMSecsSinceEpoch();
        case Elapsed:
            return job.elapsedSecondsAt(now);
        case Cost:
            return job.costAt(now);
        default:
            break;
        }
        return data(index, Qt::DisplayRole);
    case Qt::DecorationRole:
        if (index.column() == State)
            return stateIcon(job);
        break;
    case Qt::ForegroundRole:
        if (index.column() == State)
            return planstyle::color(stateTone(job), QApplication::palette());
        if (jobs::isTerminal(job.state) && index.column() == Cluster)
            return planstyle::color(planstyle::Tone::Muted, QApplication::palette());
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Elapsed || index.column() == Cost)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Name:
            return job.source == QLatin1String("gui")   ? tr("Launched from this window")
                   : job.source == QLatin1String("cli") ? tr("Launched from the command line (vibeml launch-training)")
                   : job.source == QLatin1String("mcp") ? tr("Launched by an AI assistant through VibeML's MCP server")
                                                        : tr("Launched by %1").arg(job.source);
        case State:
            return job.reason.isEmpty() ? job.stateText() : tr("%1: %2").arg(job.stateText(), job.reason);
        case Cost:
            return tr("Cost so far / high estimate / budget cap at which VibeML stops the run (at %1/h)")
                .arg(cost::formatDollars(job.pricePerHour));
        case Cluster:
            return jobs::isTerminal(job.state) ? tr("This cluster is gone; nothing bills any more.")
                                               : tr("This cluster may exist and bill until it is torn down.");
        default:
            break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant JobsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name:
            return tr("Name");
        case Model:
            return tr("Model");
        case Gpu:
            return tr("GPU");
        case State:
            return tr("State");
        case Started:
            return tr("Started");
        case Elapsed:
            return tr("Elapsed");
        case Cost:
            return tr("Cost / estimate / cap");
        case Cluster:
            return tr("Cluster");
        }
    }
    if (role == Qt::ToolTipRole && section == Cost)
        return tr("What the job has cost so far, its high estimate, and the budget cap at which VibeML stops it");
    return {};
}

JobsFilterModel::JobsFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(JobsTableModel::SortRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void JobsFilterModel::setShow(Show show)
{
    if (m_show == show)
        return;
    m_show = show;
    invalidateFilter();
}

void JobsFilterModel::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (m_text == trimmed)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool JobsFilterModel::shows(Show show, bool archived, jobs::JobState state)
{
    switch (show) {
    case Show::Active:
        return !archived && !jobs::isTerminal(state);
    case Show::All:
        return !archived;
    case Show::Archived:
        return archived;
    }
    return true;
}

bool JobsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex first = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!shows(m_show, first.data(JobsTableModel::ArchivedRole).toBool(),
               static_cast<jobs::JobState>(first.data(JobsTableModel::StateRole).toInt())))
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column : {JobsTableModel::Name, JobsTableModel::Model, JobsTableModel::Gpu, JobsTableModel::State,
                       JobsTableModel::Cluster}) {
        if (sourceModel()->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool JobsFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString || b.typeId() == QMetaType::QString)
        return QString::compare(a.toString(), b.toString(), sortCaseSensitivity()) < 0;
    return QVariant::compare(a, b) == QPartialOrdering::Less;
}

} // namespace vibeml

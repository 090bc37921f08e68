#include "joblog/JobLogModel.h"

#include <algorithm>
#include <utility>

namespace vibeml {
namespace {

// Rows are ints to the view; the scrollback cap keeps far below that.
constexpr qsizetype kLargestCap = 50'000'000;

} // namespace

JobLogModel::JobLogModel(QObject *parent) : QAbstractListModel(parent)
{
    m_frame.setSingleShot(true);
    m_frame.setInterval(kFrameMs);
    m_frame.setTimerType(Qt::PreciseTimer);
    connect(&m_frame, &QTimer::timeout, this, &JobLogModel::flush);
}

void JobLogModel::setMaxLines(qsizetype maxLines)
{
    m_store.setMaxLines(std::clamp<qsizetype>(maxLines, 1, kLargestCap));
    flush(); // a smaller cap takes effect now
}

void JobLogModel::appendBytes(QByteArrayView bytes)
{
    m_ingest.feed(bytes);
    scheduleFlush();
}

void JobLogModel::appendLines(joblog::IngestedLines &lines)
{
    m_store.appendBatch(std::move(lines.lines));
    if (!lines.events.isEmpty())
        m_events.append(std::move(lines.events));
    lines.events.clear();
    scheduleFlush();
}

void JobLogModel::scheduleFlush()
{
    // Staged lines wait for the next frame, unless so many arrived that holding them would
    // cost more memory than the cap allows.
    if (m_store.stagedCount() >= std::max<qsizetype>(m_store.maxLines(), 65'536))
        flush();
    else if ((m_store.stagedCount() > 0 || !m_events.isEmpty()) && !m_frame.isActive())
        m_frame.start();
}

void JobLogModel::finishInput()
{
    m_ingest.finish();
    flush();
}

void JobLogModel::clear()
{
    m_frame.stop();
    beginResetModel();
    m_store.clear();
    m_ingest.reset();
    m_events.clear();
    endResetModel();
    m_announcedErrors = 0;
    Q_EMIT errorLineCountChanged(0);
    Q_EMIT cleared();
}

void JobLogModel::flush()
{
    m_frame.stop();
    if (const qsizetype overflow = m_store.overflowRows(); overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow - 1));
        m_store.removeFrontRows(overflow);
        endRemoveRows();
    }
    if (const qsizetype added = m_store.publishableCount(); added > 0) {
        const int first = static_cast<int>(m_store.size());
        beginInsertRows({}, first, first + static_cast<int>(added) - 1);
        m_store.publish();
        endInsertRows();
    }
    if (m_ingest.hasEvents())
        m_events.append(m_ingest.takeEvents());
    if (!m_events.isEmpty())
        Q_EMIT progressEvents(std::exchange(m_events, {}));
    if (m_store.errorLineCount() != m_announcedErrors) {
        m_announcedErrors = m_store.errorLineCount();
        Q_EMIT errorLineCountChanged(m_announcedErrors);
    }
}

QString JobLogModel::text(int row) const
{
    return QString::fromUtf8(m_store.line(row).text);
}

int JobLogModel::firstErrorRow() const
{
    return static_cast<int>(m_store.firstErrorRow().value_or(-1));
}

int JobLogModel::find(const joblog::TextMatcher &matcher, int fromRow, joblog::SearchDirection direction) const
{
    return static_cast<int>(m_store.find(matcher, fromRow, direction).value_or(-1));
}

int JobLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_store.size());
}

QVariant JobLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return text(index.row());
    case LineNumberRole:
        return m_store.lineNumber(index.row());
    case ErrorRole:
        return m_store.line(index.row()).isError();
    case ProgressRole:
        return (m_store.line(index.row()).flags & joblog::ProgressLine) != 0;
    default:
        return {};
    }
}

Qt::ItemFlags JobLogModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace vibeml

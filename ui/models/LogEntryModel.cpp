#include "models/LogEntryModel.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

namespace vibeml {

LogEntryModel::LogEntryModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{
}

void LogEntryModel::append(const LogEntry &entry)
{
    if (static_cast<int>(m_entries.size()) >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_entries.pop_front();
        endRemoveRows();
    }
    const int row = static_cast<int>(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.push_back(entry);
    endInsertRows();
}

void LogEntryModel::clear()
{
    if (m_entries.empty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int LogEntryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int LogEntryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LogEntryModel::levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Trace:
        return tr("trace");
    case LogLevel::Debug:
        return tr("debug");
    case LogLevel::Info:
        return tr("info");
    case LogLevel::Warning:
        return tr("warning");
    case LogLevel::Error:
        return tr("error");
    case LogLevel::Critical:
        return tr("critical");
    }
    return {};
}

QVariant LogEntryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEntry &entry = m_entries[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return entry.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case LevelColumn:
            return levelName(entry.level);
        case AreaColumn:
            return entry.area;
        case MessageColumn:
            return entry.message;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn || index.column() == TimeColumn)
            return QString(entry.time.toLocalTime().toString(Qt::ISODateWithMs) + QLatin1Char('\n') + entry.message);
        return {};
    case Qt::ForegroundRole:
        if (entry.level >= LogLevel::Error)
            return QBrush(QColor(0xd3, 0x2f, 0x2f));
        if (entry.level == LogLevel::Warning)
            return QBrush(QColor(0xc7, 0x7c, 0x02));
        if (entry.level <= LogLevel::Debug)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case LevelRole:
        return static_cast<int>(entry.level);
    default:
        return {};
    }
}

QVariant LogEntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case AreaColumn:
        return tr("Area");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace vibeml

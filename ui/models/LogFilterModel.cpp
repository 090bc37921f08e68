#include "models/LogFilterModel.h"

#include "models/LogEntryModel.h"

namespace vibeml {

LogFilterModel::LogFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setFilterKeyColumn(LogEntryModel::MessageColumn);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void LogFilterModel::setMinimumLevel(LogLevel level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateRowsFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto level = static_cast<LogLevel>(index.data(LogEntryModel::LevelRole).toInt());
    return level >= m_minimumLevel && QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace vibeml

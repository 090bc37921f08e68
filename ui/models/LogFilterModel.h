#pragma once

#include "log/LogBus.h"

#include <QSortFilterProxyModel>

namespace vibeml {

// Filters a LogEntryModel by minimum level and by text in the message.
class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterModel(QObject *parent = nullptr);

    void setMinimumLevel(LogLevel level);
    LogLevel minimumLevel() const { return m_minimumLevel; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogLevel m_minimumLevel = LogLevel::Info;
};

} // namespace vibeml

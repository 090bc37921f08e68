#pragma once

#include "log/LogBus.h"

#include <QAbstractTableModel>

#include <deque>

namespace vibeml {

// The application's own log (not a job's training log) as a table, newest last, holding at
// most `capacity` entries; the full log is always in the rotating file.
class LogEntryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, LevelColumn, AreaColumn, MessageColumn, ColumnCount };
    enum Role { LevelRole = Qt::UserRole + 1 };

    explicit LogEntryModel(int capacity = 5000, QObject *parent = nullptr);

    void append(const LogEntry &entry);
    void clear();
    int capacity() const { return m_capacity; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString levelName(LogLevel level);

private:
    std::deque<LogEntry> m_entries;
    int m_capacity;
};

} // namespace vibeml

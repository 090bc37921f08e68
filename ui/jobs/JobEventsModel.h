#pragma once

#include "jobs/JobRecord.h"

#include <QAbstractTableModel>

namespace vibeml {

// One job's history from the journal (append-only): when, what, and the message. A new list that
// extends the shown one only appends rows.
class JobEventsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Kind, Message, ColumnCount };

    explicit JobEventsModel(QObject *parent = nullptr);

    void setEvents(const QList<jobs::JobEvent> &events);
    const QList<jobs::JobEvent> &events() const { return m_events; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<jobs::JobEvent> m_events;
};

} // namespace vibeml

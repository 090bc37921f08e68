#include "jobs/JobEventsModel.h"

#include "plan/PlanStyle.h"

#include <QApplication>
#include <QLocale>
#include <QPalette>

namespace vibeml {

JobEventsModel::JobEventsModel(QObject *parent) : QAbstractTableModel(parent) {}

void JobEventsModel::setEvents(const QList<jobs::JobEvent> &events)
{
    const bool extends = !m_events.isEmpty() && events.size() >= m_events.size()
                         && events.at(m_events.size() - 1).id == m_events.constLast().id
                         && events.constFirst().id == m_events.constFirst().id;
    if (extends) {
        if (events.size() == m_events.size())
            return;
        beginInsertRows({}, int(m_events.size()), int(events.size()) - 1);
        m_events = events;
        endInsertRows();
        return;
    }
    beginResetModel();
    m_events = events;
    endResetModel();
}

int JobEventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int JobEventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobEventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const jobs::JobEvent &event = m_events.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Time:
            return QLocale().toString(event.at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Kind: {
            if (event.kind == QLatin1String("state")) {
                if (const std::optional<jobs::JobState> state = jobs::stateFromName(event.state))
                    return jobs::stateLabel(*state);
                return event.state;
            }
            if (event.kind == QLatin1String("warning"))
                return tr("Warning");
            if (event.kind == QLatin1String("error"))
                return tr("Error");
            if (event.kind == QLatin1String("budget"))
                return tr("Budget");
            if (event.kind == QLatin1String("note"))
                return tr("Note");
            if (event.kind == QLatin1String("sky"))
                return tr("SkyPilot");
            return event.kind;
        }
        case Message:
            return event.message;
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Kind) {
        if (event.kind == QLatin1String("error"))
            return planstyle::color(planstyle::Tone::Problem, QApplication::palette());
        if (event.kind == QLatin1String("warning") || event.kind == QLatin1String("budget"))
            return planstyle::color(planstyle::Tone::Caution, QApplication::palette());
    }
    return {};
}

QVariant JobEventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("When");
    case Kind:
        return tr("What");
    case Message:
        return tr("Details");
    }
    return {};
}

} // namespace vibeml

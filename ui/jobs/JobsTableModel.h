#pragma once

#include "jobs/JobRecord.h"
#include "plan/PlanStyle.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QTimer>

#include <chrono>
#include <optional>

namespace vibeml {
namespace jobs {
class JobMonitor;
class JobStore;
} // namespace jobs

// Every job of the journal, whichever process started it (the window, `vibeml launch-training`, the
// MCP server), archived ones included; JobsFilterModel decides what shows. Re-reads the journal when
// the monitor says jobs changed and when another process committed to it (a cheap data_version check
// on a timer), and applies the difference row by row, so views keep their selection and scroll
// position. Between re-reads, the elapsed time and the cost of live jobs tick once a second.
class JobsTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Model, Gpu, State, Started, Elapsed, Cost, Cluster, ColumnCount };
    enum Role {
        JobIdRole = Qt::UserRole + 1, // QString
        StateRole,                    // int (jobs::JobState)
        ArchivedRole,                 // bool
        TerminalRole,                 // bool: Done or Lost (nothing bills, nothing is watched)
        SortRole,                     // a value that sorts (numbers, times) for every column
    };

    explicit JobsTableModel(QObject *parent = nullptr);

    // The journal to show (nullptr: none). The monitor, when given, triggers re-reads at once.
    void setStore(jobs::JobStore *store);
    void setMonitor(jobs::JobMonitor *monitor);
    // How often the journal's data_version is checked and live rows tick (default 1 s).
    void setRefreshInterval(std::chrono::milliseconds interval);

    // Re-reads the journal now and applies the difference.
    void refresh();
    // Asks for a re-read soon; several requests in a row make one.
    void scheduleRefresh();

    int rowOfJob(const QString &id) const;
    const jobs::JobRecord *jobAt(int row) const;
    std::optional<jobs::JobRecord> job(const QString &id) const;
    // Why the last re-read failed (empty when it worked).
    QString loadError() const { return m_loadError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // What people read in the cells, shared with the details view.
    static QString gpuText(const jobs::JobRecord &job);
    static QString costText(const jobs::JobRecord &job, const QDateTime &now);
    static QString elapsedText(const jobs::JobRecord &job, const QDateTime &now);
    // Green running or succeeded, amber on the way, red failed or lost, muted cancelled or stopped.
    static planstyle::Tone stateTone(const jobs::JobRecord &job);

Q_SIGNALS:
    // After every re-read, whether or not anything changed.
    void refreshed();
    void loadErrorChanged(const QString &message);

private:
    void onTimer();
    void tickLiveRows();
    QIcon stateIcon(const jobs::JobRecord &job) const;

    jobs::JobStore *m_store = nullptr;
    QPointer<jobs::JobMonitor> m_monitor;
    QList<QMetaObject::Connection> m_monitorConnections;
    QList<jobs::JobRecord> m_jobs;
    QTimer m_timer;
    QTimer m_coalesce;
    qint64 m_seenVersion = -1;
    QString m_loadError;
    mutable QHash<QRgb, QIcon> m_icons;
};

// Which jobs show (active ones, all that are not archived, or the archived ones), matching a text;
// sorts every column by its natural value.
class JobsFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    enum class Show { Active, All, Archived };

    explicit JobsFilterModel(QObject *parent = nullptr);

    void setShow(Show show);
    Show show() const { return m_show; }
    void setText(const QString &text);
    QString text() const { return m_text; }

    // Whether a job passes the Show filter (text aside).
    static bool shows(Show show, bool archived, jobs::JobState state);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    Show m_show = Show::All;
    QString m_text;
};

} // namespace vibeml

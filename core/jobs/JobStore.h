#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "joblog/MetricPoint.h"
#include "jobs/JobRecord.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace vibeml::jobs {

class JournalDatabase;
struct ProgressEvent;

// The jobs, their history and their training curves in the journal. Every change is one
// BEGIN IMMEDIATE transaction that re-reads the row first, so several VibeML processes can change
// the same job without losing each other's writes. History is append-only (enforced by triggers);
// job rows are archived, never deleted.
class JobStore
{
public:
    JobStore(JournalDatabase &database, const Clock &clock) : m_database(database), m_clock(clock) {}

    // Commits the new row and its first event together.
    Status insert(const JobRecord &job, const QString &message);

    std::optional<JobRecord> job(const QString &id) const;
    enum class Which { All, NotTerminal, Terminal };
    Result<QList<JobRecord>, QString> jobs(Which which = Which::All, bool includeArchived = false) const;

    // Moves a job to `to` (refusing what the lifecycle forbids), keeps its billing interval in step
    // with the state, applies `also` in the same transaction, and records a "state" event.
    Status transition(const QString &id, JobState to, const QString &reason,
                      const std::function<void(JobRecord &)> &also = {});
    // The same, only while the job is still in `from`: a decision taken on an older look at the
    // job (another process moved it meanwhile) changes nothing. *moved tells whether it applied.
    Status transitionFrom(const QString &id, JobState from, JobState to, const QString &reason,
                          const std::function<void(JobRecord &)> &also, bool *moved);
    // Changes fields without a state change; records an event when `eventKind` is given.
    Status update(const QString &id, const std::function<void(JobRecord &)> &change, const QString &eventKind = {},
                  const QString &eventMessage = {});
    Status addEvent(const QString &id, const QString &kind, const QString &message);
    QList<JobEvent> events(const QString &id, int limit = 1000) const;

    // Stores progress/eval points (a replayed line changes nothing) and folds every event into the
    // job's TrainingProgress, in one transaction.
    Status addProgress(const QString &id, const QList<ProgressEvent> &events, qint64 logLinesAdded);
    QList<MetricPoint> metrics(const QString &id) const;

    // Hides an ended job from lists; refuses a job whose cluster may still exist.
    Status archive(const QString &id);

    // Changes whenever any process commits to the journal (SQLite's data_version), so a cheap
    // timer can tell when to re-read.
    qint64 dataVersion() const;

    const Clock &clock() const { return m_clock; }

private:
    Status modify(const QString &id, const std::function<Status(JobRecord &)> &change, const QString &eventKind,
                  const QString &eventMessage);

    JournalDatabase &m_database;
    const Clock &m_clock;
};

} // namespace vibeml::jobs

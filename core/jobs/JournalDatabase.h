#pragma once

#include "common/Result.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace vibeml::jobs {

// The crash-safe SQLite file behind the job journal and the spend ledger, in the XDG data dir.
// WAL mode and a busy timeout let the window, the CLI, the MCP server and the monitor use it at
// once; the schema is versioned (PRAGMA user_version) and migrated forward on open.
class JournalDatabase
{
public:
    enum class State { Closed, Open, Corrupt, Locked, Failed };

    explicit JournalDatabase(QString path);
    ~JournalDatabase();
    JournalDatabase(const JournalDatabase &) = delete;
    JournalDatabase &operator=(const JournalDatabase &) = delete;

    // Opens (creating it 0600 in a 0700 folder), checks integrity and migrates. On failure, state()
    // says why and the message says what to do; nothing is deleted.
    Status open();
    State state() const { return m_state; }

    // For a corrupt journal: keeps the damaged file next to it (<name>.corrupt-<time>) and starts a
    // fresh one. Returns the kept copy's path in the status message.
    Status recoverFromCorruption();
    QString keptCopyPath() const { return m_keptCopy; }

    QSqlDatabase database() const;
    QString path() const { return m_path; }
    int schemaVersion() const;
    static int latestSchemaVersion();

    // Runs `work` in one write transaction (BEGIN IMMEDIATE), committing only when it succeeds.
    Status write(const std::function<Status(QSqlDatabase &)> &work);

private:
    Status migrate();
    Status configureConnection();
    void close();

    QString m_path;
    QString m_connectionName;
    State m_state = State::Closed;
    QString m_keptCopy;
};

} // namespace vibeml::jobs

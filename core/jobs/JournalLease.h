#pragma once

#include "common/Clock.h"
#include "common/ProcessIdentity.h"
#include "common/Result.h"

#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace vibeml::jobs {

class JournalDatabase;

// A named lease in the journal that decides which of several VibeML processes (the window, the CLI,
// the MCP server, `vibeml monitor`) acts on jobs: only the holder polls `sky`, follows logs, enforces
// budgets and tears clusters down; the others read the journal. The holder renews it well before
// it expires; a lease whose holder died (on this host) or expired can be taken over.
class JournalLease
{
public:
    struct Holder
    {
        QString id;
        ProcessIdentity process;
        QString role; // "window", "monitor", "cli", "mcp"
        QDateTime expiresAt;
    };

    JournalLease(JournalDatabase &database, const Clock &clock, QString name, QString role);
    ~JournalLease();
    JournalLease(const JournalLease &) = delete;
    JournalLease &operator=(const JournalLease &) = delete;

    // Takes the lease when it is free, expired or held by a dead process, or renews it when we hold
    // it. Returns whether we hold it now. A busy journal counts as "not held this time".
    bool acquireOrRenew(std::chrono::seconds ttl);
    void release();
    bool isHeld() const { return m_held; }
    std::optional<Holder> holder() const;
    QString id() const { return m_id; }

private:
    JournalDatabase &m_database;
    const Clock &m_clock;
    QString m_name;
    QString m_role;
    QString m_id;
    bool m_held = false;
};

} // namespace vibeml::jobs

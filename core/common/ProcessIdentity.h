#pragma once

#include <QString>

namespace vibeml {

// A process, identified well enough to tell whether it is still alive across restarts: its pid,
// its start time (so a recycled pid is not mistaken for it) and the host it runs on (a journal on
// a shared home folder may be used from another machine, where pids mean nothing).
struct ProcessIdentity
{
    qint64 pid = 0;
    QString started; // /proc/<pid>/stat start time in clock ticks since boot, plus the boot id
    QString host;

    static ProcessIdentity self();
    static ProcessIdentity of(qint64 pid); // empty `started` when there is no such process

    bool isEmpty() const { return pid <= 0; }
    bool isSelf() const;
    // True when this very process still runs. A process on another host is assumed alive (it
    // cannot be checked from here); its lease will expire instead.
    bool isAlive() const;
    bool isOnThisHost() const;
};

} // namespace vibeml

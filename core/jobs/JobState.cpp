#include "jobs/JobState.h"

#include <QCoreApplication>

#include <array>
#include <utility>

namespace vibeml::jobs {
namespace {

struct StateInfo
{
    JobState state;
    const char *name;
    const char *label;
};

constexpr std::array kStates = {
    StateInfo{JobState::Launching, "launching", QT_TRANSLATE_NOOP("JobState", "Launching")},
    StateInfo{JobState::Provisioning, "provisioning", QT_TRANSLATE_NOOP("JobState", "Provisioning")},
    StateInfo{JobState::SettingUp, "setting-up", QT_TRANSLATE_NOOP("JobState", "Setting up")},
    StateInfo{JobState::Running, "running", QT_TRANSLATE_NOOP("JobState", "Running")},
    StateInfo{JobState::Recovering, "recovering", QT_TRANSLATE_NOOP("JobState", "Recovering")},
    StateInfo{JobState::Stopped, "stopped", QT_TRANSLATE_NOOP("JobState", "Stopped")},
    StateInfo{JobState::Succeeded, "succeeded", QT_TRANSLATE_NOOP("JobState", "Succeeded")},
    StateInfo{JobState::Failed, "failed", QT_TRANSLATE_NOOP("JobState", "Failed")},
    StateInfo{JobState::Cancelled, "cancelled", QT_TRANSLATE_NOOP("JobState", "Cancelled")},
    StateInfo{JobState::TearingDown, "tearing-down", QT_TRANSLATE_NOOP("JobState", "Tearing down")},
    StateInfo{JobState::Done, "done", QT_TRANSLATE_NOOP("JobState", "Done")},
    StateInfo{JobState::Lost, "lost", QT_TRANSLATE_NOOP("JobState", "Lost")},
};

const StateInfo &info(JobState state)
{
    for (const StateInfo &entry : kStates)
        if (entry.state == state)
            return entry;
    return kStates.front();
}

} // namespace

QString stateName(JobState state)
{
    return QString::fromLatin1(info(state).name);
}

std::optional<JobState> stateFromName(QStringView name)
{
    for (const StateInfo &entry : kStates)
        if (name == QLatin1StringView(entry.name))
            return entry.state;
    return std::nullopt;
}

QString stateLabel(JobState state)
{
    return QCoreApplication::translate("JobState", info(state).label);
}

bool isTerminal(JobState state)
{
    return state == JobState::Done || state == JobState::Lost;
}

bool isOutcome(JobState state)
{
    return state == JobState::Succeeded || state == JobState::Failed || state == JobState::Cancelled;
}

bool isActive(JobState state)
{
    switch (state) {
    case JobState::Launching:
    case JobState::Provisioning:
    case JobState::SettingUp:
    case JobState::Running:
    case JobState::Recovering:
        return true;
    default:
        return false;
    }
}

bool mayBill(JobState state)
{
    return !isTerminal(state) && state != JobState::Stopped;
}

bool canTransition(JobState from, JobState to)
{
    if (from == to)
        return true;
    if (isTerminal(from))
        return false; // a verified-gone cluster does not come back; a new launch is a new job
    switch (to) {
    case JobState::Launching:
        return false;
    case JobState::Provisioning:
        return from == JobState::Launching || from == JobState::Stopped || from == JobState::Recovering;
    case JobState::SettingUp:
    case JobState::Running:
        return isActive(from) || from == JobState::Stopped;
    case JobState::Recovering:
        return isActive(from);
    case JobState::Stopped:
        return from != JobState::TearingDown;
    case JobState::Succeeded:
    case JobState::Failed:
    case JobState::Cancelled:
        // An ended job's verdict can still be corrected by `sky logs --status` (e.g. Failed while
        // stopped → the real outcome) but never once teardown began.
        return isActive(from) || from == JobState::Stopped || isOutcome(from);
    case JobState::TearingDown:
    case JobState::Done:
    case JobState::Lost:
        return true;
    }
    return false;
}

QString policyName(TeardownPolicy policy)
{
    switch (policy) {
    case TeardownPolicy::Down:
        return QStringLiteral("down");
    case TeardownPolicy::KeepMinutes:
        return QStringLiteral("keep-minutes");
    case TeardownPolicy::KeepStopped:
        return QStringLiteral("keep-stopped");
    case TeardownPolicy::KeepUp:
        return QStringLiteral("keep-up");
    }
    return QStringLiteral("down");
}

std::optional<TeardownPolicy> policyFromName(QStringView name)
{
    for (TeardownPolicy policy : {TeardownPolicy::Down, TeardownPolicy::KeepMinutes, TeardownPolicy::KeepStopped, TeardownPolicy::KeepUp})
        if (name == policyName(policy))
            return policy;
    return std::nullopt;
}

QString policyLabel(TeardownPolicy policy, int keepMinutes)
{
    switch (policy) {
    case TeardownPolicy::Down:
        return QCoreApplication::translate("JobState", "Tear down when the job ends");
    case TeardownPolicy::KeepMinutes:
        return QCoreApplication::translate("JobState", "Keep for %n minute(s), then tear down", nullptr, keepMinutes);
    case TeardownPolicy::KeepStopped:
        return QCoreApplication::translate("JobState", "Stop the cluster (disks keep billing)");
    case TeardownPolicy::KeepUp:
        return QCoreApplication::translate("JobState", "Keep the cluster up (autostop still applies)");
    }
    return QString();
}

} // namespace vibeml::jobs

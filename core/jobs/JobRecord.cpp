#include "jobs/JobRecord.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>

namespace vibeml::jobs {

double JobRecord::billedSecondsAt(const QDateTime &now) const
{
    double seconds = billedSeconds;
    if (billingSince.isValid() && now > billingSince)
        seconds += static_cast<double>(billingSince.msecsTo(now)) / 1000.0;
    return seconds;
}

double JobRecord::accruedAt(const QDateTime &now) const
{
    return billedSecondsAt(now) / 3600.0 * pricePerHour;
}

qint64 JobRecord::elapsedSecondsAt(const QDateTime &now) const
{
    const QDateTime start = launchStartedAt.isValid() ? launchStartedAt : createdAt;
    const QDateTime end = tornDownAt.isValid() ? tornDownAt : (isTerminal(state) ? updatedAt : now);
    return std::max<qint64>(0, start.secsTo(end));
}

QString JobRecord::logFile() const
{
    return QDir(bundleDirectory).filePath(QStringLiteral("logs/train.log"));
}

QString JobRecord::stateText() const
{
    if (isOutcome(outcome) && (state == JobState::TearingDown || state == JobState::Done || state == JobState::Stopped
                               || state == JobState::Lost))
        return QCoreApplication::translate("JobRecord", "%1 (%2)").arg(stateLabel(state), stateLabel(outcome).toLower());
    return stateLabel(state);
}

} // namespace vibeml::jobs

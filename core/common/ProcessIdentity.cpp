#include "common/ProcessIdentity.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>

namespace vibeml {
namespace {

QString bootId()
{
    static const QString id = [] {
        QFile file(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.readAll().trimmed()) : QString();
    }();
    return id;
}

// Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so
// fields are counted after its closing parenthesis.
QString startTicks(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    const QByteArray stat = file.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return QString();
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // After ")": state is field 3, so starttime (22) is index 22 - 3 = 19.
    if (fields.size() <= 19)
        return QString();
    // A zombie (killed, not yet reaped) or dead process is not alive, whatever its pid says.
    if (fields.at(0) == "Z" || fields.at(0) == "X")
        return QString();
    return QString::fromLatin1(fields.at(19));
}

} // namespace

ProcessIdentity ProcessIdentity::self()
{
    return of(QCoreApplication::applicationPid());
}

ProcessIdentity ProcessIdentity::of(qint64 pid)
{
    ProcessIdentity identity;
    identity.pid = pid;
    identity.host = QSysInfo::machineHostName();
    const QString ticks = startTicks(pid);
    if (!ticks.isEmpty())
        identity.started = ticks + QLatin1Char('@') + bootId();
    return identity;
}

bool ProcessIdentity::isSelf() const
{
    const ProcessIdentity me = self();
    return pid == me.pid && started == me.started && host == me.host;
}

bool ProcessIdentity::isOnThisHost() const
{
    return host == QSysInfo::machineHostName();
}

bool ProcessIdentity::isAlive() const
{
    if (isEmpty())
        return false;
    if (!isOnThisHost())
        return true;
    const ProcessIdentity now = of(pid);
    return !now.started.isEmpty() && now.started == started;
}

} // namespace vibeml

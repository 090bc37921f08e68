#include "BenchSupport.h"

#include <QFile>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vibeml::bench {
namespace {

qint64 residentFromStatus(const QString &path)
{
    QFile status(path);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

void printLine(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace

int runs()
{
    bool ok = false;
    const int asked = qEnvironmentVariableIntValue("VIBEML_BENCH_RUNS", &ok);
    return ok && asked > 0 ? asked : 5;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<size_t>(std::ceil(std::clamp(fraction, 0.0, 1.0) * double(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

qint64 residentBytes()
{
    return residentFromStatus(QStringLiteral("/proc/self/status"));
}

qint64 residentBytes(qint64 pid)
{
    return residentFromStatus(QStringLiteral("/proc/%1/status").arg(pid));
}

void reportResult(const QString &figure, const QString &measured, const QString &target, bool met)
{
    printLine(QStringLiteral("RESULT\t%1\t%2\t%3\t%4").arg(figure, measured, target, met ? QStringLiteral("PASS") : QStringLiteral("FAIL")));
}

void reportInfo(const QString &figure, const QString &measured, const QString &note)
{
    printLine(QStringLiteral("RESULT\t%1\t%2\t%3\tINFO").arg(figure, measured, note));
}

void note(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

QString megabytes(double bytes, int decimals)
{
    return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', decimals);
}

} // namespace vibeml::bench

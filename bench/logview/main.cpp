// Issue 9 item 2: the window stays responsive while a job's log streams in fast.
//
// A writer thread appends realistic log lines (bench/common/TrainingLogGenerator) to
// <dir>/logs/train.log at 50,000 lines/s, in a write every 10 ms, for 20 s
// (VIBEML_BENCH_DURATION_S for a quicker look). The window shows the real JobLogPanel — the
// file tail, the bounded model, the list view following the tail and painting (offscreen), the
// loss chart and the progress strip. A 2 ms precise timer on the GUI thread measures how late
// each of its ticks comes: that lateness is the event loop's latency, what a click or a key
// press would wait.

#include "BenchSupport.h"
#include "TrainingLogGenerator.h"

#include "common/MemoryTuning.h"
#include "joblog/JobLogModel.h"
#include "charts/Charts.h"
#include "charts/LinkedCharts.h"
#include "joblog/JobLogPanel.h"
#include "joblog/JobLogView.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QListView>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

using namespace vibeml;
using namespace vibeml::bench;

namespace {

constexpr int kProbeMs = 2;
constexpr int kWriteEveryMs = 10;

struct Outcome
{
    double p99 = 0;
    double max = 0;
    qint64 written = 0;
    qint64 shown = 0;
    bool following = false;
};

// Appends lines from `pool` at `linesPerSecond` until told to stop.
void writeLines(const QString &path, const QList<QByteArray> &pool, double linesPerSecond, const std::atomic<bool> &stop,
                std::atomic<qint64> &written)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const auto start = std::chrono::steady_clock::now();
    qint64 lines = 0;
    QByteArray buffer;
    while (!stop.load()) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const auto due = static_cast<qint64>(elapsed * linesPerSecond);
        buffer.clear();
        for (; lines < due; ++lines)
            buffer += pool.at(lines % pool.size());
        if (!buffer.isEmpty() && ::write(fd, buffer.constData(), static_cast<size_t>(buffer.size())) != buffer.size())
            break;
        written.store(lines);
        std::this_thread::sleep_for(std::chrono::milliseconds(kWriteEveryMs));
    }
    ::close(fd);
}

Outcome streamOnce(const QList<QByteArray> &pool, double linesPerSecond, double seconds)
{
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/vibeml-bench-XXXXXX"));
    QDir(dir.path()).mkpath(QStringLiteral("logs"));
    const QString path = dir.filePath(QStringLiteral("logs/train.log"));
    JobLogPanel panel;
    panel.resize(1280, 800);
    panel.show();
    if (!QTest::qWaitForWindowExposed(&panel))
        note(QStringLiteral("window not exposed"));
    panel.setLogFile(path);

    std::atomic<bool> stop{false};
    std::atomic<qint64> written{0};
    std::vector<double> lateness;
    lateness.reserve(static_cast<size_t>(seconds * 1000 / kProbeMs) + 16);
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kProbeMs);
    qint64 last = 0;
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.push_back(std::max(0.0, (now - last) / 1e6 - kProbeMs));
        last = now;
    });
    QEventLoop loop;
    QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
    std::thread writer(writeLines, path, std::cref(pool), linesPerSecond, std::cref(stop), std::ref(written));
    clock.start();
    probe.start();
    loop.exec();
    probe.stop();
    stop.store(true);
    writer.join();

    // Let the window take in the last writes, then check that it kept up and still follows.
    const qint64 size = QFileInfo(path).size();
    QElapsedTimer settle;
    settle.start();
    while ((panel.tail().position() < size || panel.model()->totalLines() < written.load()) && settle.elapsed() < 10'000)
        QTest::qWait(20);
    panel.model()->flush();
    QCoreApplication::processEvents();
    Outcome outcome;
    outcome.p99 = percentile(lateness, 0.99);
    outcome.max = lateness.empty() ? 0 : *std::max_element(lateness.begin(), lateness.end());
    outcome.written = written.load();
    outcome.shown = panel.model()->totalLines();
    const QScrollBar *bar = panel.logView()->listView()->verticalScrollBar();
    outcome.following = panel.logView()->isFollowing() && bar->value() == bar->maximum();
    return outcome;
}

} // namespace

int main(int argc, char *argv[])
{
    vibeml::tuneAllocator(); // as the window does (app/main.cpp)
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    vibeml::charts::useLinked(&vibeml::charts::linkedCharts()); // the window loads them as a module
    bool ok = false;
    double seconds = qEnvironmentVariable("VIBEML_BENCH_DURATION_S").toDouble(&ok);
    if (!ok || seconds <= 0)
        seconds = 20;
    double linesPerSecond = qEnvironmentVariable("VIBEML_BENCH_LINES_PER_S").toDouble(&ok);
    if (!ok || linesPerSecond <= 0)
        linesPerSecond = 50'000;

    TrainingLogGenerator generator;
    QList<QByteArray> pool;
    for (int i = 0; i < 200'000; ++i) {
        QByteArray line;
        generator.appendLine(line);
        pool.append(line);
    }

    std::vector<double> p99s, maxima;
    bool keptUp = true;
    for (int run = 0; run < runs(); ++run) {
        const Outcome outcome = streamOnce(pool, linesPerSecond, seconds);
        p99s.push_back(outcome.p99);
        maxima.push_back(outcome.max);
        keptUp = keptUp && outcome.shown == outcome.written && outcome.following;
        note(QStringLiteral("  run %1: p99 %2 ms, max %3 ms, %4 lines written, %5 taken in, following %6")
                 .arg(run + 1).arg(outcome.p99, 0, 'f', 2).arg(outcome.max, 0, 'f', 2).arg(outcome.written).arg(outcome.shown)
                 .arg(outcome.following ? QStringLiteral("yes") : QStringLiteral("no")));
    }
    const QString load = QStringLiteral("%L1 lines/s for %2 s").arg(qint64(linesPerSecond)).arg(seconds);
    const double worst = *std::max_element(maxima.begin(), maxima.end());
    reportResult(QStringLiteral("Log view under load (%1): event-loop latency p99").arg(load),
                 QStringLiteral("%1 ms (median of %2 runs)").arg(median(p99s), 0, 'f', 1).arg(p99s.size()),
                 QStringLiteral("≤ 16 ms"), median(p99s) <= 16 && keptUp);
    reportResult(QStringLiteral("Log view under load (%1): event-loop latency max").arg(load),
                 QStringLiteral("%1 ms (median of %2 runs; worst %3 ms)").arg(median(maxima), 0, 'f', 1).arg(maxima.size()).arg(worst, 0, 'f', 1),
                 QStringLiteral("≤ 50 ms"), median(maxima) <= 50 && keptUp);
    if (!keptUp)
        note(QStringLiteral("the view fell behind the writer or stopped following the tail"));
    return 0;
}

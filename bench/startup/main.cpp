// Issue 9 item 3: time to the first painted main window and idle memory, vibeml against a bare
// Qt Widgets window (bench/startup/hello.cpp) as the floor.
//
// Each program runs offscreen with its own empty HOME and XDG folders, HF_HUB_OFFLINE=1 and
// VIBEML_BENCH_FIRST_PAINT=1, which makes it print "vibeml-bench: first-paint" on stderr after its
// first frame (app/FirstPaintProbe.h). Startup is the wall time from starting the process to that
// line; idle memory is the resident set 5 s later. The two programs alternate, five runs each.

#include "BenchSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

using namespace vibeml::bench;

namespace {

constexpr int kIdleMs = 5000;

struct Sample
{
    double startupMs = -1;
    double idleBytes = -1;
};

Sample measure(const QString &program)
{
    QTemporaryDir root(QDir::tempPath() + QStringLiteral("/vibeml-bench-XXXXXX"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *variable : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HOME", "HF_ENDPOINT", "WANDB_API_KEY", "VIBEML_LOG_LEVEL"})
        environment.remove(QString::fromLatin1(variable));
    const std::pair<const char *, const char *> folders[] = {{"HOME", "/home"},
                                                             {"XDG_CONFIG_HOME", "/home/.config"},
                                                             {"XDG_DATA_HOME", "/home/.local/share"},
                                                             {"XDG_CACHE_HOME", "/home/.cache"},
                                                             {"XDG_STATE_HOME", "/home/.local/state"},
                                                             {"XDG_RUNTIME_DIR", "/runtime"}};
    for (const auto &[variable, folder] : folders) {
        QDir().mkpath(root.path() + QLatin1String(folder));
        environment.insert(QString::fromLatin1(variable), root.path() + QLatin1String(folder));
    }
    QFile::setPermissions(root.path() + QStringLiteral("/runtime"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
    environment.insert(QStringLiteral("VIBEML_BENCH_FIRST_PAINT"), QStringLiteral("1"));

    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    Sample sample;
    QElapsedTimer clock;
    clock.start();
    process.start(program, {});
    // The probe writes to stderr: wait on that channel, so its line wakes us the moment it comes.
    process.setReadChannel(QProcess::StandardError);
    QByteArray err;
    while (clock.elapsed() < 30'000 && process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(50);
        err += process.readAllStandardError();
        if (err.contains("vibeml-bench: first-paint")) {
            sample.startupMs = clock.nsecsElapsed() / 1e6;
            break;
        }
    }
    if (sample.startupMs >= 0) {
        QThread::msleep(kIdleMs);
        sample.idleBytes = double(residentBytes(process.processId()));
    } else {
        note(QStringLiteral("%1 never painted: %2").arg(program, QString::fromLocal8Bit(err.right(2000))));
    }
    process.terminate();
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished(5000);
    }
    return sample;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    const QString vibeml = QStringLiteral(VIBEML_EXECUTABLE);
    const QString hello = QStringLiteral(HELLO_EXECUTABLE);
    std::vector<double> helloStart, vibemlStart, helloRss, vibemlRss;
    measure(hello); // the first start of anything loads Qt from disk; not counted
    measure(vibeml);
    for (int run = 0; run < runs(); ++run) {
        const Sample floor = measure(hello);
        const Sample app = measure(vibeml);
        helloStart.push_back(floor.startupMs);
        helloRss.push_back(floor.idleBytes);
        vibemlStart.push_back(app.startupMs);
        vibemlRss.push_back(app.idleBytes);
        note(QStringLiteral("  run %1: hello %2 ms %3, vibeml %4 ms %5")
                 .arg(run + 1).arg(floor.startupMs, 0, 'f', 1).arg(megabytes(floor.idleBytes))
                 .arg(app.startupMs, 0, 'f', 1).arg(megabytes(app.idleBytes)));
    }
    const double floorMs = median(helloStart);
    const double appMs = median(vibemlStart);
    const bool painted = *std::min_element(vibemlStart.begin(), vibemlStart.end()) >= 0
        && *std::min_element(helloStart.begin(), helloStart.end()) >= 0;
    reportResult(QStringLiteral("Startup: process start to first painted main window"),
                 QStringLiteral("%1 ms vs hello window %2 ms = %3×").arg(appMs, 0, 'f', 0).arg(floorMs, 0, 'f', 0).arg(appMs / floorMs, 0, 'f', 2),
                 QStringLiteral("≤ 1.5× the floor"), painted && appMs <= 1.5 * floorMs);
    const double floorRss = median(helloRss);
    const double appRss = median(vibemlRss);
    reportResult(QStringLiteral("Idle memory 5 s after the first paint (resident set)"),
                 QStringLiteral("%1 vs hello window %2 = +%3").arg(megabytes(appRss), megabytes(floorRss), megabytes(appRss - floorRss)),
                 QStringLiteral("≤ floor + 40 MB"), painted && appRss <= floorRss + 40e6);
    return 0;
}

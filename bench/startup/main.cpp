// Issue 9 item 3: time to the first painted main window and idle memory, vibeml against a bare
// Qt Widgets window (bench/startup/hello.cpp) as the floor.
//
// Each program runs offscreen with its own empty HOME and XDG folders, HF_HUB_OFFLINE=1 and
// VIBEML_BENCH_FIRST_PAINT=1, which makes it print "vibeml-bench: first-paint" on stderr after its
// first frame (app/FirstPaintProbe.h). Startup is the wall time from starting the process to that
// line (three times runs(), alternating); idle memory is the resident set 5 s after it (runs()).
//
// A third program, for the record: the hello window with the shared libraries vibeml loads and it
// does not (from `ldd`) preloaded. The loader maps, relocates and initialises them as for vibeml,
// so the difference to the plain hello window is what linking those libraries costs at start-up,
// and the rest of vibeml's gap is its own start-up work.

#include "BenchSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <cmath>

using namespace vibeml::bench;

namespace {

constexpr int kIdleMs = 5000;

struct Sample
{
    double startupMs = -1;
    double idleBytes = -1;
};

// The shared libraries `program` loads, in load order, as `ldd` lists them (empty without ldd).
QStringList sharedLibraries(const QString &program)
{
    QProcess ldd;
    ldd.start(QStringLiteral("ldd"), {program});
    if (!ldd.waitForFinished(10'000) || ldd.exitCode() != 0)
        return {};
    QStringList libraries;
    for (const QByteArray &line : ldd.readAllStandardOutput().split('\n')) {
        // "\tlibQt6Core.so.6 => /lib/x86_64-linux-gnu/libQt6Core.so.6 (0x…)"
        const qsizetype arrow = line.indexOf("=> ");
        const qsizetype address = line.lastIndexOf(" (");
        if (arrow >= 0 && address > arrow)
            libraries << QString::fromLocal8Bit(line.mid(arrow + 3, address - arrow - 3));
    }
    return libraries;
}

enum class Idle { Measure, Skip };

Sample measure(const QString &program, Idle idle, const QString &preload = {})
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
    if (!preload.isEmpty())
        environment.insert(QStringLiteral("LD_PRELOAD"), preload);

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
    if (sample.startupMs >= 0 && idle == Idle::Measure) {
        QThread::msleep(kIdleMs);
        sample.idleBytes = double(residentBytes(process.processId()));
    } else if (sample.startupMs < 0) {
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
    // What vibeml loads beyond the hello window's libraries, in vibeml's load order.
    QStringList extraLibraries = sharedLibraries(vibeml);
    const QStringList helloLibraries = sharedLibraries(hello);
    extraLibraries.removeIf([&](const QString &library) { return helloLibraries.contains(library); });
    const QString preload = extraLibraries.join(QLatin1Char(':'));

    // Start-up: three times as many runs as the other figures (each takes a fraction of a
    // second and the machine's noise is of the order of the differences); memory: runs() more,
    // each waiting 5 s.
    std::vector<double> helloStart, vibemlStart, helloRss, vibemlRss, linkedStart;
    measure(hello, Idle::Skip); // the first start of anything loads Qt from disk; not counted
    measure(vibeml, Idle::Skip);
    for (int run = 0; run < 3 * runs(); ++run) {
        const Sample floor = measure(hello, Idle::Skip);
        const Sample linked = preload.isEmpty() ? Sample{} : measure(hello, Idle::Skip, preload);
        const Sample app = measure(vibeml, Idle::Skip);
        helloStart.push_back(floor.startupMs);
        linkedStart.push_back(linked.startupMs);
        vibemlStart.push_back(app.startupMs);
        note(QStringLiteral("  start-up run %1: hello %2 ms, hello with vibeml's libraries %3 ms, vibeml %4 ms")
                 .arg(run + 1).arg(floor.startupMs, 0, 'f', 1).arg(linked.startupMs, 0, 'f', 1).arg(app.startupMs, 0, 'f', 1));
    }
    for (int run = 0; run < runs(); ++run) {
        const Sample floor = measure(hello, Idle::Measure);
        const Sample app = measure(vibeml, Idle::Measure);
        helloRss.push_back(floor.idleBytes);
        vibemlRss.push_back(app.idleBytes);
        note(QStringLiteral("  memory run %1: hello %2, vibeml %3").arg(run + 1).arg(megabytes(floor.idleBytes), megabytes(app.idleBytes)));
    }
    const double floorMs = median(helloStart);
    const double appMs = median(vibemlStart);
    const bool painted = *std::min_element(vibemlStart.begin(), vibemlStart.end()) >= 0
        && *std::min_element(helloStart.begin(), helloStart.end()) >= 0
        && *std::min_element(vibemlRss.begin(), vibemlRss.end()) >= 0 && *std::min_element(helloRss.begin(), helloRss.end()) >= 0;
    reportResult(QStringLiteral("Startup: process start to first painted main window"),
                 QStringLiteral("%1 ms vs hello window %2 ms = %3× (medians of %4)")
                     .arg(appMs, 0, 'f', 0).arg(floorMs, 0, 'f', 0).arg(appMs / floorMs, 0, 'f', 2).arg(vibemlStart.size()),
                 QStringLiteral("≤ 1.5× the floor"), painted && appMs <= 1.5 * floorMs);
    if (!preload.isEmpty()) {
        const double linkedMs = median(linkedStart);
        reportInfo(QStringLiteral("Startup: the hello window with vibeml's %1 other shared libraries preloaded").arg(extraLibraries.size()),
                   QStringLiteral("%1 ms: loading those libraries costs %2 ms of vibeml's %3 ms over the floor")
                       .arg(linkedMs, 0, 'f', 0).arg(std::round(linkedMs - floorMs) + 0.0, 0, 'f', 0) // never "-0"
                       .arg(appMs - floorMs, 0, 'f', 0),
                   QStringLiteral("for the record: the rest is vibeml's own start-up work"));
    }
    const double floorRss = median(helloRss);
    const double appRss = median(vibemlRss);
    reportResult(QStringLiteral("Idle memory 5 s after the first paint (resident set)"),
                 QStringLiteral("%1 vs hello window %2 = +%3").arg(megabytes(appRss), megabytes(floorRss), megabytes(appRss - floorRss)),
                 QStringLiteral("≤ floor + 40 MB"), painted && appRss <= floorRss + 40e6);
    return 0;
}

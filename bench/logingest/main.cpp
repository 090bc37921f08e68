// Issue 9 item 1: log ingest throughput and memory, against the floor and the naive way.
//
// A realistic 200 MB training log (bench/common/TrainingLogGenerator) goes through the exact
// pipeline the log view uses — LogTailReader's thread: LogFileTail → LogIngest (UTF-8, '\r'
// collapse, ANSI → spans, error flags, the metrics parser) into batches; the GUI thread: the
// bounded LogLineStore inside JobLogModel adopts them (rows announced once per 16 ms frame) →
// progress events to chart points — from setPath until every byte is rows, compared in the same
// run with
//   the floor: read() the file in the same 1 MiB chunks and find every '\n' with memchr, and
//   the naive way: QPlainTextEdit::appendPlainText per line (shown, offscreen) on a slice.
// Memory for 1 M retained lines is measured in a fresh child process: the store's own
// accounting and the growth of the process's resident set.

#include "BenchSupport.h"
#include "TrainingLogGenerator.h"

#include "joblog/JobLogModel.h"
#include "joblog/LogFileTail.h"
#include "joblog/LogIngest.h"
#include "joblog/LogLineStore.h"
#include "common/MemoryTuning.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <fcntl.h>
#include <unistd.h>

using namespace vibeml;
using namespace vibeml::bench;

namespace {

constexpr qint64 kChunkBytes = qint64{1} << 20;
constexpr qsizetype kRetainedForMemory = 1'000'000;
constexpr int kNaiveLines = 20'000;

struct Pass
{
    double seconds = 0;
    qint64 lines = 0;
    joblog::LogTailReader::DecodeCounts decodeCounts; // the pipeline's
};

Pass floorPass(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    // 64-byte aligned, as the file's pages are: the kernel's copy then always runs at full speed,
    // not at a third of it when malloc happens to place the buffer 16 bytes past such a boundary
    // (ReadAhead::readAligned says why; the pipeline's reads are placed the same way).
    const std::unique_ptr<char, decltype(&std::free)> buffer(static_cast<char *>(std::aligned_alloc(64, kChunkBytes)), &std::free);
    Pass pass;
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        const ssize_t got = ::read(fd, buffer.get(), static_cast<size_t>(kChunkBytes));
        if (got <= 0)
            break;
        const char *at = buffer.get();
        const char *const end = at + got;
        while ((at = static_cast<const char *>(std::memchr(at, '\n', static_cast<size_t>(end - at))))) {
            ++pass.lines;
            ++at;
        }
    }
    pass.seconds = timer.nsecsElapsed() / 1e9;
    ::close(fd);
    return pass;
}

Pass pipelinePass(const QString &path, qint64 size, qint64 *pointsOut)
{
    // Wired as JobLogPanel wires them: the reader thread reads and decodes, the model adopts.
    JobLogModel model; // the GUI's default scrollback
    joblog::LogTailReader tail;
    qint64 points = 0;
    QObject::connect(&tail, &joblog::LogTailReader::linesRead, &model, &JobLogModel::appendLines);
    tail.setKeepLines(model.maxLines()); // as JobLogPanel: the backlog's front is only counted
    QObject::connect(&model, &JobLogModel::progressEvents, &model, [&points](const QList<jobs::ProgressEvent> &events) {
        for (const jobs::ProgressEvent &event : events)
            points += joblog::metricPoint(event) ? 1 : 0;
    });
    QEventLoop loop;
    QObject::connect(&tail, &joblog::LogTailReader::caughtUp, &loop, [&] {
        if (tail.position() >= size)
            loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    tail.setPath(path);
    loop.exec();
    model.finishInput();
    Pass pass;
    pass.seconds = timer.nsecsElapsed() / 1e9;
    pass.lines = model.totalLines();
    pass.decodeCounts = tail.decodeCounts();
    *pointsOut = points;
    if (model.rowCount() != std::min<qint64>(model.maxLines(), pass.lines))
        note(QStringLiteral("pipeline: unexpected row count %1").arg(model.rowCount()));
    return pass;
}

// For the record: the decoding alone — LogIngest over the file already in memory, 1 MiB at a time,
// into batches, on this thread — to tell the decoder's share of the pipeline from reading and
// the window's.
double decodeOnlySeconds(const QByteArray &log)
{
    joblog::LogBatch batch;
    joblog::LogIngest ingest(batch);
    QElapsedTimer timer;
    timer.start();
    for (qsizetype at = 0; at < log.size(); at += kChunkBytes) {
        ingest.feed(QByteArrayView(log).sliced(at, std::min<qsizetype>(kChunkBytes, log.size() - at)));
        ingest.takeEvents();
        batch.clear();
    }
    ingest.finish();
    return timer.nsecsElapsed() / 1e9;
}

double naivePass(const QList<QByteArray> &slice)
{
    QPlainTextEdit edit;
    edit.resize(1000, 700);
    edit.show();
    if (!QTest::qWaitForWindowExposed(&edit))
        note(QStringLiteral("naive: window not exposed"));
    QElapsedTimer timer;
    timer.start();
    for (const QByteArray &line : slice)
        edit.appendPlainText(QString::fromUtf8(line));
    QCoreApplication::processEvents(); // and show the result once
    return timer.nsecsElapsed() / 1e9;
}

int memoryChild(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 1;
    QByteArray buffer(kChunkBytes, Qt::Uninitialized);
    const qint64 before = residentBytes();
    auto store = std::make_unique<joblog::LogLineStore>(kRetainedForMemory);
    {
        joblog::LogIngest ingest(*store);
        for (qint64 got; (got = file.read(buffer.data(), kChunkBytes)) > 0;) {
            ingest.feed(QByteArrayView(buffer.constData(), got));
            ingest.takeEvents();
            store->commit();
        }
        ingest.finish();
        store->commit();
    }
    const qint64 after = residentBytes();
    std::printf("MEMORY %lld %lld %lld %lld\n", static_cast<long long>(store->size()), static_cast<long long>(store->textBytes()),
                static_cast<long long>(store->memoryBytes()), static_cast<long long>(after - before));
    return 0;
}

void reportMemory(const QString &what, double bytes, double lines, double text)
{
    const double budget = 1.3 * text + 16 * lines;
    const double perLine = (bytes - text) / lines;
    reportResult(QStringLiteral("Memory, %L1 retained lines: %2").arg(qint64(lines)).arg(what),
                 QStringLiteral("%1 for %2 of text (%3 B/line over the text)").arg(megabytes(bytes), megabytes(text)).arg(perLine, 0, 'f', 1),
                 QStringLiteral("≤ 1.3 × text + 16 B/line = %1").arg(megabytes(budget)), bytes <= budget);
}

} // namespace

int main(int argc, char *argv[])
{
    vibeml::tuneAllocator(); // as the window does (app/main.cpp)
    if (argc == 3 && std::strcmp(argv[1], "--memory-child") == 0)
        return memoryChild(QString::fromLocal8Bit(argv[2]));
    const bool profiling = argc == 2 && std::strcmp(argv[1], "--profile-pipeline") == 0; // only the pipeline, once
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);

    const qint64 megabytesWanted = qEnvironmentVariableIsSet("VIBEML_BENCH_LOG_MB") ? qEnvironmentVariableIntValue("VIBEML_BENCH_LOG_MB") : 200;
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/vibeml-bench-XXXXXX"));
    // VIBEML_BENCH_LOG_FILE: the log is generated there once and reused (for profiling the pipeline alone).
    const QString kept = qEnvironmentVariable("VIBEML_BENCH_LOG_FILE");
    const bool reused = !kept.isEmpty() && QFileInfo::exists(kept);
    const QString path = kept.isEmpty() ? dir.filePath(QStringLiteral("train.log")) : kept;
    const qint64 lines = reused ? floorPass(path).lines : TrainingLogGenerator::writeFile(path, megabytesWanted * 1'000'000);
    const qint64 size = QFileInfo(path).size();
    if (lines <= 0)
        return 1;
    note(QStringLiteral("log ingest: %1 lines, %2 in %3").arg(lines).arg(megabytes(double(size))).arg(path));

    floorPass(path); // into the page cache, for every contender alike
    if (profiling) { // VIBEML_BENCH_RUNS passes of the pipeline alone (default 1), for a profiler
        qint64 points = 0;
        for (int run = 0; run < std::max(1, qEnvironmentVariableIntValue("VIBEML_BENCH_RUNS")); ++run) {
            const Pass pass = pipelinePass(path, size, &points);
            note(QStringLiteral("pipeline: %1 s (stretches: %2, on the helper thread %3, decoded again %4)")
                     .arg(pass.seconds, 0, 'f', 3)
                     .arg(pass.decodeCounts.stretches)
                     .arg(pass.decodeCounts.onHelper)
                     .arg(pass.decodeCounts.decodedAgain));
        }
        return 0;
    }
    std::vector<double> floorRates, pipelineRates, pipelineLineRates;
    qint64 points = 0;
    for (int run = 0; run < runs(); ++run) {
        const Pass floor = floorPass(path);
        const Pass pipeline = pipelinePass(path, size, &points);
        floorRates.push_back(double(size) / floor.seconds);
        pipelineRates.push_back(double(size) / pipeline.seconds);
        pipelineLineRates.push_back(double(pipeline.lines) / pipeline.seconds);
        note(QStringLiteral("  run %1: floor %2 s, pipeline %3 s (%4 lines, %5 chart points)")
                 .arg(run + 1).arg(floor.seconds, 0, 'f', 3).arg(pipeline.seconds, 0, 'f', 3).arg(pipeline.lines).arg(points));
    }

    QFile file(path);
    file.open(QIODevice::ReadOnly);
    std::vector<double> decodeRates;
    {
        const QByteArray log = file.readAll();
        for (int run = 0; run < runs(); ++run) {
            const double seconds = decodeOnlySeconds(log);
            decodeRates.push_back(double(log.size()) / seconds);
            note(QStringLiteral("  run %1: decoding alone %2 s").arg(run + 1).arg(seconds, 0, 'f', 3));
        }
        file.seek(0);
    }
    QList<QByteArray> slice;
    qint64 sliceBytes = 0;
    while (slice.size() < kNaiveLines && !file.atEnd()) {
        QByteArray line = file.readLine();
        sliceBytes += line.size();
        line.chop(1);
        slice.append(line);
    }
    std::vector<double> naiveRates;
    for (int run = 0; run < runs(); ++run) {
        const double seconds = naivePass(slice);
        naiveRates.push_back(double(sliceBytes) / seconds);
        note(QStringLiteral("  run %1: naive %2 s for %3 lines").arg(run + 1).arg(seconds, 0, 'f', 3).arg(slice.size()));
    }

    const double floorRate = median(floorRates);
    const double pipelineRate = median(pipelineRates);
    const double naiveRate = median(naiveRates);
    const double ofFloor = pipelineRate / floorRate;
    reportResult(QStringLiteral("Log ingest, 200 MB: GUI pipeline vs floor (read + memchr)"),
                 QStringLiteral("%1/s vs %2/s = %3 %").arg(megabytes(pipelineRate, 0), megabytes(floorRate, 0)).arg(100 * ofFloor, 0, 'f', 0),
                 QStringLiteral("≥ 25 %"), ofFloor >= 0.25);
    const double decodeRate = median(decodeRates);
    reportInfo(QStringLiteral("Log ingest, 200 MB: the decoding alone (LogIngest, in memory, one thread)"),
               QStringLiteral("%1/s = %2 % of the floor").arg(megabytes(decodeRate, 0)).arg(100 * decodeRate / floorRate, 0, 'f', 0),
               QStringLiteral("for the record: one thread decoding, without reading or the window (the pipeline decodes big reads on two)"));
    reportInfo(QStringLiteral("Log ingest, 200 MB: lines through the GUI pipeline"),
               QStringLiteral("%L1 lines/s").arg(qint64(median(pipelineLineRates))),
               QStringLiteral("%L1 lines, %2 chart points").arg(lines).arg(points));
    reportResult(QStringLiteral("Log ingest: GUI pipeline vs naive appendPlainText per line"),
                 QStringLiteral("%1/s vs %2/s = %3×").arg(megabytes(pipelineRate, 0), megabytes(naiveRate, 2)).arg(pipelineRate / naiveRate, 0, 'f', 0),
                 QStringLiteral("≥ 20× (naive: extrapolated from a %L1-line slice)").arg(slice.size()), pipelineRate >= 20 * naiveRate);

    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--memory-child"), path});
    child.waitForFinished(600'000);
    const QList<QByteArray> memory = child.readAllStandardOutput().trimmed().split(' ');
    if (memory.size() != 5 || memory.first() != "MEMORY") {
        reportResult(QStringLiteral("Memory, 1 M retained lines"), QStringLiteral("no measurement"), QString(), false);
        return 1;
    }
    const double retained = memory.at(1).toDouble();
    const double text = memory.at(2).toDouble();
    reportMemory(QStringLiteral("the store's accounting"), memory.at(3).toDouble(), retained, text);
    reportMemory(QStringLiteral("resident set growth"), memory.at(4).toDouble(), retained, text);
    return 0;
}

#include "TestSupport.h"

#include "TestPaths.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <memory>

namespace vibeml::test {
namespace {

std::unique_ptr<QTemporaryDir> &rootDir()
{
    static std::unique_ptr<QTemporaryDir> dir;
    return dir;
}

} // namespace

void prepareTestProcess()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    auto &dir = rootDir();
    dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/vibeml-test-XXXXXX"));
    const QString root = dir->path();
    const char *const subdirs[][2] = {{"HOME", "/home"},
                                      {"XDG_CONFIG_HOME", "/home/.config"},
                                      {"XDG_DATA_HOME", "/home/.local/share"},
                                      {"XDG_CACHE_HOME", "/home/.cache"},
                                      {"XDG_STATE_HOME", "/home/.local/state"}};
    for (const auto &[variable, path] : subdirs) {
        const QString full = root + QLatin1String(path);
        QDir().mkpath(full);
        qputenv(variable, QFile::encodeName(full));
    }
    // Tokens and endpoints of the developer's shell must not leak into tests.
    for (const char *variable : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "HF_ENDPOINT",
                                 "HF_HUB_OFFLINE", "WANDB_API_KEY", "VIBEML_LOG_LEVEL"})
        qunsetenv(variable);
}

QString isolatedRoot()
{
    return rootDir() ? rootDir()->path() : QString();
}

QString dataPath(const QString &relative)
{
    return QLatin1String(kTestDataDir) + QLatin1Char('/') + relative;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString fakeHuggingFaceToken()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString token = QStringLiteral("hf_");
    for (int i = 0; i < 34; ++i)
        token.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]));
    return token;
}

ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &stdinData,
                         const QStringList &extraEnvironment, const QStringList &removedEnvironment, int timeoutMs)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : removedEnvironment)
        environment.remove(name);
    for (const QString &assignment : extraEnvironment) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        environment.insert(assignment.left(equals), assignment.mid(equals + 1));
    }
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    ProcessResult result;
    if (!process.waitForStarted(timeoutMs))
        return result;
    process.write(stdinData);
    process.closeWriteChannel();
    // Run the event loop while waiting, so servers living in this test (the fake Hub) can answer
    // and output is drained as fast as it arrives.
    if (process.state() != QProcess::NotRunning) {
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        timeout.start(timeoutMs);
        loop.exec();
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
            result.crashed = true;
        }
    }
    result.exitCode = process.exitCode();
    result.crashed = result.crashed || process.exitStatus() == QProcess::CrashExit;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace vibeml::test

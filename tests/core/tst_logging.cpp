#include "log/LogBus.h"
#include "log/Logging.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryFile>

#include <cstdio>
#include <unistd.h>

using namespace vibeml;

Q_DECLARE_METATYPE(vibeml::LogEntry)

namespace {

int g_counter = 0;

LogOptions optionsInFreshFolder()
{
    LogOptions options;
    options.directory = test::isolatedRoot() + QStringLiteral("/logs-%1").arg(++g_counter);
    options.level = spdlog::level::debug;
    options.stderrLevel = spdlog::level::off;
    return options;
}

// Captures what is written to file descriptor 2 while alive.
class StderrCapture
{
public:
    StderrCapture()
    {
        m_file.open();
        std::fflush(stderr);
        m_saved = ::dup(STDERR_FILENO);
        ::dup2(m_file.handle(), STDERR_FILENO);
    }
    ~StderrCapture() { restore(); }
    QByteArray finish()
    {
        restore();
        m_file.seek(0);
        return m_file.readAll();
    }

private:
    void restore()
    {
        if (m_saved < 0)
            return;
        std::fflush(stderr);
        ::dup2(m_saved, STDERR_FILENO);
        ::close(m_saved);
        m_saved = -1;
    }
    QTemporaryFile m_file;
    int m_saved = -1;
};

} // namespace

class TestLogging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySinkIsRedacted()
    {
        const QString token = test::fakeHuggingFaceToken();
        LogOptions options = optionsInFreshFolder();
        options.stderrLevel = spdlog::level::info;
        QString path;
        QByteArray stderrText;
        QList<LogEntry> busEntries;
        {
            StderrCapture capture;
            Logging logging(options);
            path = logging.filePath();
            QObject::connect(logging.bus(), &LogBus::entryLogged, logging.bus(),
                             [&busEntries](const LogEntry &entry) { busEntries.append(entry); });
            log::hub()->info("GET /api/whoami-v2 with Authorization: Bearer {}", token);
            log::sky()->warn("launching with HF_TOKEN={}", token);
            qWarning("Qt says the token is %s", qPrintable(token));
            log::jobs()->error("credentials: {}",
                               QStringLiteral("-----BEGIN PRIVATE KEY-----\nMIIEsecretPEMbody\n-----END PRIVATE KEY-----"));
            QTRY_COMPARE(busEntries.size(), 4);
            stderrText = capture.finish();
        }
        const QByteArray fileText = test::readFile(path);
        QVERIFY(!fileText.isEmpty());
        for (const QByteArray &text : {fileText, stderrText}) {
            QVERIFY2(!text.contains(token.toUtf8()), text.constData());
            QVERIFY2(!text.contains("MIIEsecretPEMbody"), text.constData());
            QVERIFY2(text.contains("[hub]") && text.contains("[sky]") && text.contains("[qt]") && text.contains("[jobs]"),
                     text.constData());
            QVERIFY(text.contains("[REDACTED]"));
        }
        for (const LogEntry &entry : std::as_const(busEntries))
            QVERIFY2(!entry.message.contains(token) && !entry.message.contains(QStringLiteral("MIIEsecret")),
                     qPrintable(entry.message));
        QCOMPARE(busEntries.at(0).area, QStringLiteral("hub"));
        QCOMPARE(busEntries.at(1).level, LogLevel::Warning);
        QCOMPARE(busEntries.at(2).area, QStringLiteral("qt"));
    }

    void fileIsPrivateAndRotates()
    {
        LogOptions options = optionsInFreshFolder();
        options.maxFileBytes = 4096;
        options.maxFiles = 2;
        {
            Logging logging(options);
            QCOMPARE(QFileInfo(logging.filePath()).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                     QFileDevice::Permissions());
            QCOMPARE(QFileInfo(options.directory).permissions() & (QFileDevice::ReadOther | QFileDevice::ExeOther),
                     QFileDevice::Permissions());
            for (int i = 0; i < 400; ++i)
                log::app()->info("line {} of a long run that keeps logging", i);
        }
        const QStringList files = QDir(options.directory).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files, QStringList({QStringLiteral("vibeml.1.log"), QStringLiteral("vibeml.2.log"), QStringLiteral("vibeml.log")}));
        QVERIFY(test::readFile(options.directory + QStringLiteral("/vibeml.log")).contains("line 399"));
    }

    void levelFiltersRecords()
    {
        LogOptions options = optionsInFreshFolder();
        options.level = spdlog::level::warn;
        QString path;
        {
            Logging logging(options);
            path = logging.filePath();
            log::app()->info("an info line");
            log::app()->warn("a warning line");
        }
        const QByteArray text = test::readFile(path);
        QVERIFY(!text.contains("an info line"));
        QVERIFY(text.contains("a warning line"));
    }

    void unwritableFolderStillLogsToStderr()
    {
        const QString blocker = test::isolatedRoot() + QStringLiteral("/not-a-folder");
        QVERIFY(test::writeFile(blocker, "x"));
        LogOptions options;
        options.directory = blocker + QStringLiteral("/logs");
        options.stderrLevel = spdlog::level::off;
        Logging logging(options);
        QVERIFY(logging.filePath().isEmpty());
        QVERIFY(!logging.fileError().isEmpty());
        log::app()->info("still works");
    }

    void loggersWorkBeforeSetUp()
    {
        // Unit tests of other classes log without a Logging object; that must not crash.
        log::hub()->warn("no logging yet: {}", QStringLiteral("fallback"));
        QVERIFY(log::hub() != nullptr);
    }

    void levelFromEnvironment_data()
    {
        QTest::addColumn<QByteArray>("environment");
        QTest::addColumn<bool>("debugFlag");
        QTest::addColumn<int>("level");
        QTest::addColumn<bool>("explicitlySet");
        QTest::addColumn<bool>("warns");
        QTest::newRow("unset") << QByteArray() << false << int(spdlog::level::info) << false << false;
        QTest::newRow("trace") << QByteArray("trace") << false << int(spdlog::level::trace) << true << false;
        QTest::newRow("upper case") << QByteArray("WARNING") << false << int(spdlog::level::warn) << true << false;
        QTest::newRow("off") << QByteArray("off") << false << int(spdlog::level::off) << true << false;
        QTest::newRow("garbage") << QByteArray("loud") << false << int(spdlog::level::info) << false << true;
        QTest::newRow("--debug wins") << QByteArray("error") << true << int(spdlog::level::debug) << true << false;
    }

    void levelFromEnvironment()
    {
        QFETCH(QByteArray, environment);
        QFETCH(bool, debugFlag);
        QFETCH(int, level);
        QFETCH(bool, explicitlySet);
        QFETCH(bool, warns);
        qputenv("VIBEML_LOG_LEVEL", environment);
        const LogLevelChoice choice = Logging::levelFromEnvironment(debugFlag);
        qunsetenv("VIBEML_LOG_LEVEL");
        QCOMPARE(int(choice.level), level);
        QCOMPARE(choice.explicitlySet, explicitlySet);
        QCOMPARE(!choice.warning.isEmpty(), warns);
        if (warns)
            QVERIFY(choice.warning.contains(QStringLiteral("loud")));
    }
};

VIBEML_TEST_MAIN_CORE(TestLogging)
#include "tst_logging.moc"

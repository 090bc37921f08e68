#include "cli/LaunchOptions.h"

#include "TestSupport.h"

using namespace vibeml;

namespace {
QStringList words(const char *text)
{
    return QString::fromLatin1(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}
} // namespace

class TestLaunchOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("gui");
        QTest::addColumn<bool>("debug");
        QTest::addColumn<QStringList>("command");
        QTest::newRow("nothing opens the window") << words("") << true << false << words("");
        QTest::newRow("debug alone still the window") << words("--debug") << true << true << words("");
        QTest::newRow("qt platform option") << words("-platform offscreen") << true << false << words("");
        QTest::newRow("qt style and reverse") << words("-style fusion -reverse") << true << false << words("");
        QTest::newRow("version is headless") << words("--version") << false << false << words("--version");
        QTest::newRow("--mcp is the mcp command") << words("--mcp") << false << false << words("mcp");
        QTest::newRow("--mcp after --debug") << words("--debug --mcp") << false << true << words("mcp");
        QTest::newRow("help is headless") << words("--help") << false << false << words("--help");
        QTest::newRow("subcommand") << words("config show") << false << false << words("config show");
        QTest::newRow("debug before") << words("--debug config show") << false << true << words("config show");
        QTest::newRow("debug after") << words("config show --debug") << false << true << words("config show");
        QTest::newRow("unknown option is headless") << words("--frobnicate") << false << false << words("--frobnicate");
        QTest::newRow("dangling platform") << words("-platform") << false << false << words("-platform");
    }

    void parse()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, gui);
        QFETCH(bool, debug);
        QFETCH(QStringList, command);
        const LaunchOptions options = LaunchOptions::parse(arguments);
        QCOMPARE(options.gui, gui);
        QCOMPARE(options.debug, debug);
        QCOMPARE(options.commandArguments, command);
    }
};

VIBEML_TEST_MAIN_CORE(TestLaunchOptions)
#include "tst_launchoptions.moc"

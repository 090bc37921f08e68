#include "config/AppPaths.h"

#include "TestSupport.h"

#include <QDir>

using namespace vibeml;

class TestAppPaths : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsXdgVariables()
    {
        const QString root = test::isolatedRoot() + QStringLiteral("/xdg");
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(root + QStringLiteral("/c")));
        qputenv("XDG_DATA_HOME", QFile::encodeName(root + QStringLiteral("/d")));
        qputenv("XDG_CACHE_HOME", QFile::encodeName(root + QStringLiteral("/k")));
        qputenv("XDG_STATE_HOME", QFile::encodeName(root + QStringLiteral("/s")));
        const AppPaths paths = AppPaths::fromEnvironment();
        QCOMPARE(paths.configDir, root + QStringLiteral("/c/vibeml"));
        QCOMPARE(paths.dataDir, root + QStringLiteral("/d/vibeml"));
        QCOMPARE(paths.cacheDir, root + QStringLiteral("/k/vibeml"));
        QCOMPARE(paths.stateDir, root + QStringLiteral("/s/vibeml"));
        QCOMPARE(paths.settingsFile(), root + QStringLiteral("/c/vibeml/settings.json"));
        QCOMPARE(paths.logDir(), root + QStringLiteral("/s/vibeml/logs"));
    }

    void ignoresRelativeStateHome()
    {
        // The XDG spec: relative paths in these variables are invalid and must be ignored.
        qputenv("XDG_STATE_HOME", "relative/state");
        QCOMPARE(AppPaths::fromEnvironment().stateDir, QDir::homePath() + QStringLiteral("/.local/state/vibeml"));
    }

    void underRootKeepsEverythingTogether()
    {
        const AppPaths paths = AppPaths::underRoot(QStringLiteral("/tmp/portable/"));
        QCOMPARE(paths.configDir, QStringLiteral("/tmp/portable/config/vibeml"));
        QCOMPARE(paths.stateDir, QStringLiteral("/tmp/portable/state/vibeml"));
    }
};

VIBEML_TEST_MAIN_CORE(TestAppPaths)
#include "tst_apppaths.moc"

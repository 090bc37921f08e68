#include "config/Settings.h"
#include "log/Logging.h"
#include "secrets/SecretStore.h"

#include "TestSupport.h"

#include <QCoreApplication>

#include <link.h>

using namespace vibeml;

namespace {

int collectLoadedLibrary(dl_phdr_info *info, size_t, void *data)
{
    auto *names = static_cast<QStringList *>(data);
    if (info->dlpi_name && *info->dlpi_name)
        names->append(QString::fromLocal8Bit(info->dlpi_name));
    return 0;
}

} // namespace

// vibeml_core must run headless: this executable links only vibeml_core and runs on
// QCoreApplication, and no Qt GUI library may end up in the process.
class TestCoreLinkage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coreRunsOnQCoreApplication()
    {
        QVERIFY(!QCoreApplication::instance()->inherits("QGuiApplication"));
        Logging logging(LogOptions{});
        Settings settings(test::isolatedRoot() + QStringLiteral("/linkage/settings.json"));
        settings.load();
        QVERIFY(settings.set(SettingKey::DefaultGpu, QStringLiteral("H100")).isOk());
        SecretStore secrets;
        QCOMPARE(secrets.serviceName(), QStringLiteral("VibeML"));
    }

    void noGuiLibraryIsLoaded()
    {
        QStringList loaded;
        dl_iterate_phdr(collectLoadedLibrary, &loaded);
        QVERIFY2(loaded.filter(QStringLiteral("libQt6Core")).size() == 1, qPrintable(loaded.join(u'\n')));
        for (const char *forbidden : {"libQt6Gui", "libQt6Widgets", "libQt6Charts", "libQt6Svg", "libQt6OpenGL"}) {
            const QStringList hits = loaded.filter(QLatin1String(forbidden));
            QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u'\n')));
        }
    }
};

VIBEML_TEST_MAIN_CORE(TestCoreLinkage)
#include "tst_corelinkage.moc"

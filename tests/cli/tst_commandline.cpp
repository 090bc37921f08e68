#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

using namespace vibeml;

namespace {

const QString kVibeml = QStringLiteral(VIBEML_EXECUTABLE);

// Every run gets its own XDG folders, so runs never see each other's settings.
QStringList freshEnvironment(const QString &name)
{
    const QString root = test::isolatedRoot() + QStringLiteral("/cli-") + name;
    return {QStringLiteral("XDG_CONFIG_HOME=") + root + QStringLiteral("/config"),
            QStringLiteral("XDG_STATE_HOME=") + root + QStringLiteral("/state"),
            QStringLiteral("XDG_DATA_HOME=") + root + QStringLiteral("/data"),
            QStringLiteral("XDG_CACHE_HOME=") + root + QStringLiteral("/cache")};
}

QString configDir(const QStringList &environment)
{
    return environment.first().mid(QStringLiteral("XDG_CONFIG_HOME=").size()) + QStringLiteral("/vibeml");
}

QString stateDir(const QStringList &environment)
{
    return environment.at(1).mid(QStringLiteral("XDG_STATE_HOME=").size()) + QStringLiteral("/vibeml");
}

test::ProcessResult runVibeml(const QStringList &arguments, const QStringList &environment, const QByteArray &input = {})
{
    return test::runProcess(kVibeml, arguments, input, environment);
}

bool keyringAvailable()
{
    return !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS");
}

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionNeedsNoDisplay()
    {
        // With the xcb platform and no DISPLAY, creating a QGuiApplication would abort.
        const test::ProcessResult result = test::runProcess(
            kVibeml, {QStringLiteral("--version")}, {}, {QStringLiteral("QT_QPA_PLATFORM=xcb")},
            {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY")});
        QVERIFY2(!result.crashed, result.err.constData());
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, QByteArray("vibeml 0.1.0\n"));
        QVERIFY(result.err.isEmpty());
        QCOMPARE(runVibeml({QStringLiteral("-v")}, freshEnvironment(QStringLiteral("v"))).out, QByteArray("vibeml 0.1.0\n"));
    }

    void helpListsCommandsAndExitCodes()
    {
        const test::ProcessResult result = test::runProcess(
            kVibeml, {QStringLiteral("--help")}, {}, {QStringLiteral("QT_QPA_PLATFORM=xcb")}, {QStringLiteral("DISPLAY")});
        QCOMPARE(result.exitCode, 0);
        const QString text = QString::fromUtf8(result.out);
        QVERIFY2(text.contains(QStringLiteral("Commands:")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("  config ")));
        QVERIFY(text.contains(QStringLiteral("Exit codes:")));
        QVERIFY(text.contains(QStringLiteral("--version")));
        QCOMPARE(runVibeml({QStringLiteral("help")}, {}).out, result.out);
    }

    void commandHelp()
    {
        for (const QStringList &arguments : {QStringList{QStringLiteral("config"), QStringLiteral("--help")},
                                             QStringList{QStringLiteral("help"), QStringLiteral("config")},
                                             QStringList{QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("-h")}}) {
            const test::ProcessResult result = runVibeml(arguments, freshEnvironment(QStringLiteral("help")));
            QCOMPARE(result.exitCode, 0);
            QVERIFY(result.out.contains("vibeml config set NAME VALUE"));
            QVERIFY(result.out.contains("budget.approval-threshold-usd"));
        }
    }

    void unknownCommandIsAUsageError()
    {
        test::ProcessResult result = runVibeml({QStringLiteral("lauch-training")}, freshEnvironment(QStringLiteral("unknown")));
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("unknown command 'lauch-training'"));
        QVERIFY(result.out.isEmpty());
        result = runVibeml({QStringLiteral("--frobnicate")}, {});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("unknown option"));
        result = runVibeml({QStringLiteral("help"), QStringLiteral("nope")}, {});
        QCOMPARE(result.exitCode, 2);
        result = runVibeml({QStringLiteral("config"), QStringLiteral("explode")}, freshEnvironment(QStringLiteral("unknown2")));
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("unknown action 'explode'"));
    }

    void configShowSetReset()
    {
        const QStringList env = freshEnvironment(QStringLiteral("config"));
        test::ProcessResult result = runVibeml({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("budget.monthly-usd"),
                                             QStringLiteral("$750")},
                                            env);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(result.out, QByteArray("budget.monthly-usd = 750\n"));
        QVERIFY(QFile::exists(configDir(env) + QStringLiteral("/settings.json")));

        result = runVibeml({QStringLiteral("config"), QStringLiteral("show")}, env);
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("budget.monthly-usd             750\n"));
        QVERIFY(result.out.contains("cluster.idle-minutes           30  (default)"));
        QVERIFY(result.out.contains("log.scrollback-lines           200000  (default)"));
        QVERIFY(!result.out.contains("ui.window-geometry"));
        QVERIFY(result.out.contains("Hugging Face Hub:  https://huggingface.co (default)"));
        QVERIFY(result.out.contains("Hugging Face token: "));

        result = runVibeml({QStringLiteral("config"), QStringLiteral("show"), QStringLiteral("--json")}, env);
        QCOMPARE(result.exitCode, 0);
        QJsonParseError error{};
        const QJsonObject root = QJsonDocument::fromJson(result.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray rows = root.value(QStringLiteral("settings")).toArray();
        QCOMPARE(rows.size(), 16);
        QCOMPARE(root.value(QStringLiteral("hub")).toObject().value(QStringLiteral("endpointSource")).toString(), QStringLiteral("default"));
        bool sawMonthly = false;
        for (const QJsonValue &row : rows) {
            const QJsonObject object = row.toObject();
            if (object.value(QStringLiteral("name")).toString() == QLatin1String("budget.monthly-usd")) {
                sawMonthly = true;
                QCOMPARE(object.value(QStringLiteral("value")).toDouble(), 750.0);
                QCOMPARE(object.value(QStringLiteral("default")).toDouble(), 500.0);
                QCOMPARE(object.value(QStringLiteral("isDefault")).toBool(), false);
            }
        }
        QVERIFY(sawMonthly);

        result = runVibeml({QStringLiteral("config"), QStringLiteral("reset"), QStringLiteral("budget.monthly-usd")}, env);
        QCOMPARE(result.exitCode, 0);
        result = runVibeml({QStringLiteral("config"), QStringLiteral("show")}, env);
        QVERIFY(result.out.contains("budget.monthly-usd             500  (default)"));
    }

    void configSetRefusesBadValues()
    {
        const QStringList env = freshEnvironment(QStringLiteral("refuse"));
        test::ProcessResult result = runVibeml({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("cluster.idle-minutes"),
                                             QStringLiteral("2")},
                                            env);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("from 5 to"), result.err.constData());
        QVERIFY(!QFile::exists(configDir(env) + QStringLiteral("/settings.json")));

        result = runVibeml({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("no.such"), QStringLiteral("1")}, env);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("there is no setting 'no.such'"));

        result = runVibeml({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("ui.window-geometry"), QStringLiteral("AA")}, env);
        QCOMPARE(result.exitCode, 2);

        result = runVibeml({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("launch.region")}, env);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("Usage: vibeml config set NAME VALUE"));
    }

    void damagedSettingsAreRecoveredWithAMessage()
    {
        const QStringList env = freshEnvironment(QStringLiteral("damaged"));
        const QString path = configDir(env) + QStringLiteral("/settings.json");
        QVERIFY(test::writeFile(path, "{\"version\": 1, \"settings\": {\"budget.per-job-usd\": 12"));
        const test::ProcessResult result = runVibeml({QStringLiteral("config"), QStringLiteral("show")}, env);
        QCOMPARE(result.exitCode, 0);
        const QString err = QString::fromUtf8(result.err);
        QVERIFY2(err.contains(QStringLiteral("damaged")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("budget.per-job-usd")), qPrintable(err));
        QVERIFY2(err.contains(path + QStringLiteral(".bak")), qPrintable(err));
        QVERIFY(result.out.contains("budget.per-job-usd             50  (default)"));
        QCOMPARE(test::readFile(path + QStringLiteral(".bak")), QByteArray("{\"version\": 1, \"settings\": {\"budget.per-job-usd\": 12"));
        // Once recovered, nothing more is said.
        QVERIFY(runVibeml({QStringLiteral("config"), QStringLiteral("show")}, env).err.isEmpty());
    }

    void tokenGoesToTheKeychainAndNowhereElse()
    {
        if (!keyringAvailable()) {
            if (qEnvironmentVariableIntValue("VIBEML_REQUIRE_KEYRING"))
                QFAIL("The suite must run with a Secret Service (tests/run.sh starts one)");
            QSKIP("No session bus: run the suite through tests/run.sh");
        }
        const QStringList env = freshEnvironment(QStringLiteral("token")) << QStringLiteral("VIBEML_LOG_LEVEL=trace");
        const QString token = test::fakeHuggingFaceToken();
        test::ProcessResult result = runVibeml({QStringLiteral("config"), QStringLiteral("set-token"), QStringLiteral("hf")}, env,
                                            token.toUtf8() + '\n');
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(result.out.contains("Stored the Hugging Face token in the system keychain."));
        // The configuration now says where the token comes from, without showing it.
        result = runVibeml({QStringLiteral("config"), QStringLiteral("show")}, env);
        QVERIFY2(result.out.contains("Hugging Face token: the keychain"), result.out.constData());
        QVERIFY(!result.out.contains(token.toUtf8()));
        QVERIFY(!result.out.contains(token.toUtf8()));
        QVERIFY(!result.err.contains(token.toUtf8()));

        // The token is nowhere on disk: not in settings, not in the log.
        for (const QString &dir : QStringList{configDir(env), stateDir(env) + QStringLiteral("/logs")}) {
            const QStringList files = QDir(dir).entryList(QDir::Files);
            for (const QString &file : files)
                QVERIFY2(!test::readFile(dir + QLatin1Char('/') + file).contains(token.toUtf8()), qPrintable(file));
        }
        QVERIFY(QFile::exists(stateDir(env) + QStringLiteral("/logs/vibeml-cli.log")));

        result = runVibeml({QStringLiteral("config"), QStringLiteral("delete-token"), QStringLiteral("hf")}, env);
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("no longer in the keychain"));
    }

    void tokenInputIsChecked()
    {
        const QStringList env = freshEnvironment(QStringLiteral("token-input"));
        test::ProcessResult result = runVibeml({QStringLiteral("config"), QStringLiteral("set-token"), QStringLiteral("hf")}, env, "");
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("no token was given on stdin"));
        result = runVibeml({QStringLiteral("config"), QStringLiteral("set-token"), QStringLiteral("hf")}, env, "two words\n");
        QCOMPARE(result.exitCode, 2);
        result = runVibeml({QStringLiteral("config"), QStringLiteral("set-token"), QStringLiteral("github")}, env, "x\n");
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("hf|wandb"));
    }

    void missingKeychainSaysWhatToDo()
    {
        QStringList env = freshEnvironment(QStringLiteral("nokeyring"));
        env << QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/vibeml-bus");
        const QString token = test::fakeHuggingFaceToken();
        const test::ProcessResult result =
            runVibeml({QStringLiteral("config"), QStringLiteral("set-token"), QStringLiteral("hf")}, env, token.toUtf8() + '\n');
        QCOMPARE(result.exitCode, 3);
        const QString err = QString::fromUtf8(result.err);
        QVERIFY2(err.contains(QStringLiteral("No keychain is available")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("HF_TOKEN")), qPrintable(err));
        QVERIFY(!err.contains(token));
        // No insecure fallback: nothing was written anywhere.
        QVERIFY(!QFile::exists(configDir(env) + QStringLiteral("/settings.json")));
    }
};

VIBEML_TEST_MAIN_CORE(TestCommandLine)
#include "tst_commandline.moc"

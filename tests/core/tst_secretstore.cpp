#include "secrets/SecretStore.h"

#include "TestSupport.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSignalSpy>

#include <memory>

using namespace vibeml;
using ReadResult = Result<QString, SecretError>;

namespace {

constexpr char kChildVariable[] = "VIBEML_SECRETSTORE_CHILD";

// A service name no other test or user entry shares.
QString uniqueService()
{
    return QStringLiteral("VibeML-test-%1").arg(QRandomGenerator::global()->generate64(), 0, 16);
}

struct Waiter
{
    std::optional<ReadResult> read;
    std::optional<std::optional<SecretError>> written;
};

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    std::optional<ReadResult> readNow(SecretStore &store, SecretId id)
    {
        std::optional<ReadResult> result;
        store.read(id, this, [&result](const ReadResult &r) { result = r; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
            return std::nullopt;
        return result;
    }

    std::optional<std::optional<SecretError>> writeNow(SecretStore &store, SecretId id, const QString &value)
    {
        std::optional<std::optional<SecretError>> result;
        store.write(id, value, this, [&result](const std::optional<SecretError> &e) { result = e; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
            return std::nullopt;
        return result;
    }

    std::optional<std::optional<SecretError>> removeNow(SecretStore &store, SecretId id)
    {
        std::optional<std::optional<SecretError>> result;
        store.remove(id, this, [&result](const std::optional<SecretError> &e) { result = e; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
            return std::nullopt;
        return result;
    }

    void requireKeyring()
    {
        if (qEnvironmentVariableIsSet(kChildVariable))
            return;
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("VIBEML_REQUIRE_KEYRING"))
                QFAIL("The suite must run with a Secret Service (tests/run.sh starts one)");
            QSKIP("No session bus: run the suite through tests/run.sh for a real gnome-keyring");
        }
    }

private Q_SLOTS:
    void init() { requireKeyring(); }

    void writeReadOverwriteDelete()
    {
        if (qEnvironmentVariableIsSet(kChildVariable))
            QSKIP("child process");
        SecretStore store(uniqueService());
        const QString token = test::fakeHuggingFaceToken();

        auto written = writeNow(store, SecretId::HuggingFaceToken, token);
        QVERIFY2(written, "the keychain did not answer");
        QVERIFY2(!written->has_value(), qPrintable(written->value_or(SecretError{}).message));

        auto read = readNow(store, SecretId::HuggingFaceToken);
        QVERIFY(read);
        QVERIFY2(read->isOk(), qPrintable(read->isOk() ? QString() : read->error().message));
        QCOMPARE(read->value(), token);

        const QString replacement = test::fakeHuggingFaceToken();
        written = writeNow(store, SecretId::HuggingFaceToken, replacement);
        QVERIFY(written && !written->has_value());
        read = readNow(store, SecretId::HuggingFaceToken);
        QVERIFY(read && read->isOk());
        QCOMPARE(read->value(), replacement);

        const auto removed = removeNow(store, SecretId::HuggingFaceToken);
        QVERIFY(removed && !removed->has_value());
        read = readNow(store, SecretId::HuggingFaceToken);
        QVERIFY(read && !read->isOk());
        QCOMPARE(read->error().kind, SecretError::Kind::NotFound);
        QVERIFY(read->error().message.contains(QStringLiteral("Hugging Face token")));
    }

    void missingEntryIsNotFound()
    {
        if (qEnvironmentVariableIsSet(kChildVariable))
            QSKIP("child process");
        SecretStore store(uniqueService());
        const auto read = readNow(store, SecretId::WandbApiKey);
        QVERIFY(read && !read->isOk());
        QCOMPARE(read->error().kind, SecretError::Kind::NotFound);
        // Removing what is not there is not an error.
        const auto removed = removeNow(store, SecretId::WandbApiKey);
        QVERIFY(removed && !removed->has_value());
    }

    void secretsAreSeparateAndUnicodeSafe()
    {
        if (qEnvironmentVariableIsSet(kChildVariable))
            QSKIP("child process");
        SecretStore store(uniqueService());
        const QString wandb = QStringLiteral("clé-ключ-鍵-0123456789abcdef");
        QVERIFY(writeNow(store, SecretId::WandbApiKey, wandb).value_or(SecretError{}) == std::nullopt);
        const auto hf = readNow(store, SecretId::HuggingFaceToken);
        QVERIFY(hf && !hf->isOk());
        QCOMPARE(hf->error().kind, SecretError::Kind::NotFound);
        const auto back = readNow(store, SecretId::WandbApiKey);
        QVERIFY(back && back->isOk());
        QCOMPARE(back->value(), wandb);
        QVERIFY(removeNow(store, SecretId::WandbApiKey));
    }

    void destroyedContextGetsNoCallback()
    {
        if (qEnvironmentVariableIsSet(kChildVariable))
            QSKIP("child process");
        SecretStore store(uniqueService());
        bool called = false;
        auto context = std::make_unique<QObject>();
        store.read(SecretId::HuggingFaceToken, context.get(), [&called](const ReadResult &) { called = true; });
        context.reset();
        // Give the keychain time to answer; nobody is listening any more.
        QTest::qWait(500);
        QVERIFY(!called);
    }

    // Runs itself in a child process whose session bus does not exist, because QtKeychain picks
    // its backend once per process.
    void reportsMissingSecretService()
    {
        if (qEnvironmentVariableIsSet(kChildVariable)) {
            SecretStore store(uniqueService());
            const auto read = readNow(store, SecretId::HuggingFaceToken);
            QVERIFY(read && !read->isOk());
            QCOMPARE(read->error().kind, SecretError::Kind::NoBackend);
            QVERIFY2(read->error().message.contains(QStringLiteral("HF_TOKEN")), qPrintable(read->error().message));
            QVERIFY2(read->error().message.contains(QStringLiteral("Secret Service")), qPrintable(read->error().message));
            const auto written = writeNow(store, SecretId::HuggingFaceToken, test::fakeHuggingFaceToken());
            QVERIFY(written && written->has_value());
            QCOMPARE(written->value().kind, SecretError::Kind::NoBackend);
            return;
        }
        const test::ProcessResult child = test::runProcess(
            QCoreApplication::applicationFilePath(), {QStringLiteral("reportsMissingSecretService")}, {},
            {QString::fromLatin1(kChildVariable) + QStringLiteral("=1"),
             QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/vibeml-bus")});
        QVERIFY2(!child.crashed, child.err.constData());
        QVERIFY2(child.exitCode == 0, QByteArray(child.out + child.err).constData());
        QVERIFY(child.out.contains("PASS   : TestSecretStore::reportsMissingSecretService"));
    }
};

VIBEML_TEST_MAIN_CORE(TestSecretStore)
#include "tst_secretstore.moc"

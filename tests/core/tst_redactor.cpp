#include "log/Redactor.h"

#include "TestSupport.h"

using namespace vibeml;

namespace {

QString pemBlock(const QString &kind)
{
    return QStringLiteral("-----BEGIN %1PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
                          "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n"
                          "-----END %1PRIVATE KEY-----")
        .arg(kind);
}

} // namespace

class TestRedactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void masksSecrets_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("expectedMarker");

        const QString token = test::fakeHuggingFaceToken();
        const QString wandb = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        QTest::newRow("bare hf token") << QStringLiteral("using %1 for the Hub").arg(token) << token << QStringLiteral("hf_[REDACTED]");
        QTest::newRow("authorization header") << QStringLiteral("GET /api/whoami-v2 Authorization: Bearer %1").arg(token) << token
                                              << QStringLiteral("Authorization: Bearer [REDACTED]");
        QTest::newRow("authorization lowercase") << QStringLiteral("authorization: bearer abc.def-ghi_jkl") << QStringLiteral("abc.def-ghi_jkl")
                                                 << QStringLiteral("[REDACTED]");
        QTest::newRow("bearer alone") << QStringLiteral("sent Bearer sky_0123456789abcdefABCDEF") << QStringLiteral("0123456789abcdefABCDEF")
                                      << QStringLiteral("Bearer [REDACTED]");
        QTest::newRow("env token") << QStringLiteral("export HF_TOKEN=%1").arg(token) << token << QStringLiteral("HF_TOKEN=[REDACTED]");
        QTest::newRow("env key") << QStringLiteral("WANDB_API_KEY=%1 python train.py").arg(wandb) << wandb
                                 << QStringLiteral("WANDB_API_KEY=[REDACTED] python");
        QTest::newRow("env secret yaml-ish") << QStringLiteral("AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
                                             << QStringLiteral("wJalrXUtnFEMI") << QStringLiteral("AWS_SECRET_ACCESS_KEY: [REDACTED]");
        QTest::newRow("quoted env value") << QStringLiteral("MY_PASSWORD=\"correct horse battery\" done")
                                          << QStringLiteral("correct horse") << QStringLiteral("MY_PASSWORD=[REDACTED] done");
        QTest::newRow("sky secret flag") << QStringLiteral("sky launch --secret HF_TOKEN=%1 task.yaml").arg(token) << token
                                         << QStringLiteral("--secret HF_TOKEN=[REDACTED] task.yaml");
        QTest::newRow("json api key") << QStringLiteral(R"({"api_key": "%1", "user": "x"})").arg(wandb) << wandb
                                      << QStringLiteral(R"("api_key": "[REDACTED]")");
        QTest::newRow("json token") << QStringLiteral(R"({"token":"%1"})").arg(token) << token << QStringLiteral(R"("token":"[REDACTED]")");
        QTest::newRow("pem") << QStringLiteral("key file:\n%1\nend").arg(pemBlock(QString())) << QStringLiteral("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")
                             << QStringLiteral("-----BEGIN PRIVATE KEY-----[REDACTED]-----END PRIVATE KEY-----\nend");
        QTest::newRow("rsa pem") << pemBlock(QStringLiteral("RSA ")) << QStringLiteral("VJTUt9Us8cKjMzEfYyjiWA4R4")
                                 << QStringLiteral("-----BEGIN RSA PRIVATE KEY-----[REDACTED]");
        QTest::newRow("pem cut off") << QStringLiteral("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw")
                                     << QStringLiteral("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw") << QStringLiteral("[REDACTED]");
        QTest::newRow("pem in json (nebius credentials)")
            << QStringLiteral(R"({"subject-credentials": {"alg": "RS256", "private-key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n-----END PRIVATE KEY-----\n", "kid": "publickey-e00"}})")
            << QStringLiteral("MIIEvQIBADAN") << QStringLiteral("publickey-e00");
        QTest::newRow("url password") << QStringLiteral("proxy https://alice:s3cr3tP4ss@proxy.example.com:3128/")
                                      << QStringLiteral("s3cr3tP4ss") << QStringLiteral("https://alice:[REDACTED]@proxy.example.com");
        QTest::newRow("two tokens") << QStringLiteral("%1 and %2").arg(token, QStringLiteral("hf_ZYXWVUTSRQPONMLKJIHGFEDCBA987654"))
                                    << QStringLiteral("hf_ZYXWVUTSRQPONMLKJIHGFEDCBA987654") << QStringLiteral("hf_[REDACTED] and hf_[REDACTED]");
        QTest::newRow("credentials variable") << QStringLiteral("GOOGLE_APPLICATION_CREDENTIALS=/home/me/service-account.json")
                                              << QStringLiteral("/home/me/service-account.json")
                                              << QStringLiteral("GOOGLE_APPLICATION_CREDENTIALS=[REDACTED]");
        QTest::newRow("org token") << QStringLiteral("api_org_abcdefghijklmnopqrstuvwxyz123456") << QStringLiteral("abcdefghijklmnop")
                                   << QStringLiteral("api_org_[REDACTED]");
    }

    void masksSecrets()
    {
        QFETCH(QString, text);
        QFETCH(QString, secret);
        QFETCH(QString, expectedMarker);
        const QString redacted = redaction::redact(text);
        QVERIFY2(!redacted.contains(secret), qPrintable(redacted));
        QVERIFY2(redacted.contains(expectedMarker), qPrintable(redacted));
        QVERIFY(redaction::mightContainSecret(text.toStdString()));
        // The UTF-8 path used by the log sinks does the same.
        QCOMPARE(QString::fromStdString(redaction::redact(text.toStdString())), redacted);
    }

    void leavesOrdinaryTextAlone_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("model id") << QStringLiteral("Loading meta-llama/Llama-3.1-8B-Instruct at revision 0e9e39f");
        QTest::newRow("lowercase key field") << QStringLiteral("sort_key: downloads");
        QTest::newRow("hf_transfer") << QStringLiteral("hf_transfer is enabled");
        QTest::newRow("tokenizer") << QStringLiteral("reading tokenizer_config.json, max_new_tokens=512");
        QTest::newRow("sky logs path") << QStringLiteral("~/sky_logs/sky-2025-10-26-15-54-16-303492/run.log");
        QTest::newRow("url without password") << QStringLiteral("GET https://huggingface.co/api/models/gpt2?expand[]=downloads");
        QTest::newRow("unicode") << QStringLiteral("Schritt 10/100 – Verlust 1.234 ✓");
        QTest::newRow("empty env") << QStringLiteral("HF_TOKEN= is not set");
    }

    void leavesOrdinaryTextAlone()
    {
        QFETCH(QString, text);
        QCOMPARE(redaction::redact(text), text);
    }

    void prefilterSkipsPlainText()
    {
        QVERIFY(!redaction::mightContainSecret("step 10/100 loss 1.234 lr 2e-4"));
        QVERIFY(redaction::mightContainSecret("HF_TOKEN=abc"));
        QVERIFY(redaction::mightContainSecret("Authorization: BEARER x"));
        // A URL is looked at only when it could carry a password (user:password@host).
        QVERIFY(!redaction::mightContainSecret("Hub at https://huggingface.co (default), offline (HF_HUB_OFFLINE)"));
        QVERIFY(redaction::mightContainSecret("proxy at https://alice:pw@proxy.example.com"));
        QVERIFY(redaction::mightContainSecret("mirror https://a.example.com, contact ops@example.com"));
    }
};

VIBEML_TEST_MAIN_CORE(TestRedactor)
#include "tst_redactor.moc"

#include "hub/RepoId.h"

#include "TestSupport.h"

using namespace vibeml::hub;

class TestRepoId : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repoIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("org/name") << "meta-llama/Llama-3.1-8B-Instruct" << true;
        QTest::newRow("dots underscores") << "HuggingFaceH4/ultrachat_200k" << true;
        QTest::newRow("legacy single") << "gpt2" << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("semicolon") << "a/b;rm -rf ~" << false;
        QTest::newRow("command substitution") << "a/$(curl evil)" << false;
        QTest::newRow("backticks") << "a/`id`" << false;
        QTest::newRow("quotes") << "a/b\"c" << false;
        QTest::newRow("newline") << "a/b\nc" << false;
        QTest::newRow("unicode") << QStringLiteral("a/модель") << false;
        QTest::newRow("three parts") << "a/b/c" << false;
        QTest::newRow("dot dot") << "a/b..c" << false;
        QTest::newRow("double dash") << "a/b--c" << false;
        QTest::newRow("leading dash") << "a/-b" << false;
        QTest::newRow("trailing dot") << "a/b." << false;
        QTest::newRow("path traversal") << "../etc" << false;
        QTest::newRow("too long") << QString(QStringLiteral("a/") + QString(97, QLatin1Char('x'))) << false;
        QTest::newRow("96 ok") << QString(QStringLiteral("a/") + QString(96, QLatin1Char('x'))) << true;
        QTest::newRow("url") << "https://huggingface.co/gpt2" << false;
    }

    void repoIds()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        const std::optional<QString> problem = repoIdProblem(id);
        QCOMPARE(!problem.has_value(), valid);
        if (problem)
            QVERIFY(!problem->isEmpty());
    }

    void revisions_data()
    {
        QTest::addColumn<QString>("revision");
        QTest::addColumn<bool>("valid");
        QTest::newRow("main") << "main" << true;
        QTest::newRow("sha") << "0e9e39f249a16976918f6564b8830bc894c89659" << true;
        QTest::newRow("pr ref") << "refs/pr/1" << true;
        QTest::newRow("tag") << "v1.0.2" << true;
        QTest::newRow("space") << "my branch" << false;
        QTest::newRow("dot dot") << "a/../b" << false;
        QTest::newRow("tilde") << "main~1" << false;
        QTest::newRow("shell") << "main;id" << false;
        QTest::newRow("option-like") << "-rf" << false;
        QTest::newRow("control") << "main\x01" << false;
        QTest::newRow("empty") << "" << false;
    }

    void revisions()
    {
        QFETCH(QString, revision);
        QFETCH(bool, valid);
        QCOMPARE(!revisionProblem(revision).has_value(), valid);
    }

    void encodingIsFull()
    {
        QCOMPARE(encodePathSegment(QStringLiteral("refs/pr/1")), QStringLiteral("refs%2Fpr%2F1"));
        QCOMPARE(encodePathSegment(QStringLiteral("main;id")), QStringLiteral("main%3Bid"));
    }
};

VIBEML_TEST_MAIN_CORE(TestRepoId)
#include "tst_repoid.moc"

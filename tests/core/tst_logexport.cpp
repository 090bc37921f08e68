#include "joblog/LogExport.h"

#include "TestSupport.h"

#include <QDir>
#include <QTemporaryDir>

using namespace vibeml;

class TestLogExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void savesTheWholeLogAsPlainText()
    {
        QTemporaryDir dir;
        const QString source = test::dataPath(QStringLiteral("joblog/failed-run.log"));
        const QString target = dir.filePath(QStringLiteral("saved.txt"));
        const Status saved = joblog::exportPlainText(source, target);
        QVERIFY2(saved.isOk(), qPrintable(saved.message()));
        const QByteArray original = test::readFile(source);
        const QByteArray text = test::readFile(target);
        QCOMPARE(text.count('\n'), original.count('\n'));
        QVERIFY(!text.contains('\x1b'));
        QVERIFY(!text.contains('\r'));
        QVERIFY(text.contains("Traceback (most recent call last):\n"));
        QVERIFY(text.contains("2/2 [00:04<00:00, 2.41s/it]\n"));
        QVERIFY(!text.contains("0/2 [00:00<00:04")); // the overwritten redraws are gone
        QVERIFY(text.endsWith("✗ Job finished (status: FAILED).\n"));
    }

    void failuresSayWhatWentWrong()
    {
        QTemporaryDir dir;
        const Status missing = joblog::exportPlainText(dir.filePath(QStringLiteral("none.log")), dir.filePath(QStringLiteral("out.txt")));
        QVERIFY(!missing.isOk());
        QVERIFY(missing.message().contains(QStringLiteral("none.log")));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out.txt"))));

        const Status unwritable = joblog::exportPlainText(test::dataPath(QStringLiteral("joblog/failed-run.log")),
                                                          dir.filePath(QStringLiteral("no/such/folder/out.txt")));
        QVERIFY(!unwritable.isOk());
        QVERIFY(unwritable.message().contains(QStringLiteral("out.txt")));
    }
};

VIBEML_TEST_MAIN_CORE(TestLogExport)
#include "tst_logexport.moc"

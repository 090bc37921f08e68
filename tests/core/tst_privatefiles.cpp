#include "config/PrivateFiles.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace vibeml;

namespace {
QFileDevice::Permissions ownerOnlyFile()
{
    return QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser;
}
QFileDevice::Permissions ownerOnlyDir()
{
    return ownerOnlyFile() | QFileDevice::ExeOwner | QFileDevice::ExeUser;
}
} // namespace

class TestPrivateFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writeCreatesPrivateFileInPrivateFolders()
    {
        const QString dir = test::isolatedRoot() + QStringLiteral("/write/a/b");
        const QString path = dir + QStringLiteral("/file.json");
        QVERIFY(privatefiles::write(path, "{}").isOk());
        QCOMPARE(test::readFile(path), QByteArray("{}"));
        QCOMPARE(QFile::permissions(path), ownerOnlyFile());
        QCOMPARE(QFile::permissions(dir), ownerOnlyDir());
    }

    void replacingTightensAnOpenFile()
    {
        const QString path = test::isolatedRoot() + QStringLiteral("/replace/file.txt");
        QVERIFY(test::writeFile(path, "old"));
        QFile::setPermissions(path, ownerOnlyFile() | QFileDevice::ReadOther | QFileDevice::ReadGroup);
        QVERIFY(privatefiles::write(path, "new").isOk());
        QCOMPARE(test::readFile(path), QByteArray("new"));
        QCOMPARE(QFile::permissions(path), ownerOnlyFile());
    }

    void failedWriteLeavesNoPartialFile()
    {
        // The parent "folder" is a file, so nothing can be created below it.
        const QString blocker = test::isolatedRoot() + QStringLiteral("/blocker");
        QVERIFY(test::writeFile(blocker, "I am a file"));
        const Status status = privatefiles::write(blocker + QStringLiteral("/sub/file.txt"), "data");
        QVERIFY(!status.isOk());
        QVERIFY2(status.message().contains(QStringLiteral("blocker")), qPrintable(status.message()));
        QCOMPARE(test::readFile(blocker), QByteArray("I am a file"));
    }

    void ensureDirectoryTightensExistingFolder()
    {
        const QString dir = test::isolatedRoot() + QStringLiteral("/open-folder");
        QVERIFY(QDir().mkpath(dir));
        QFile::setPermissions(dir, ownerOnlyDir() | QFileDevice::ReadOther | QFileDevice::ExeOther);
        QVERIFY(privatefiles::ensureDirectory(dir).isOk());
        QCOMPARE(QFile::permissions(dir), ownerOnlyDir());
    }

    void backupNeverOverwritesAnEarlierBackup()
    {
        const QString path = test::isolatedRoot() + QStringLiteral("/backup/settings.json");
        QVERIFY(test::writeFile(path, "first"));
        const QString first = privatefiles::backup(path);
        QCOMPARE(first, path + QStringLiteral(".bak"));
        QVERIFY(test::writeFile(path, "second"));
        const QString second = privatefiles::backup(path);
        QVERIFY(!second.isEmpty());
        QVERIFY(second != first);
        QVERIFY(second.endsWith(QStringLiteral(".bak")));
        QCOMPARE(test::readFile(first), QByteArray("first"));
        QCOMPARE(test::readFile(second), QByteArray("second"));
        QCOMPARE(QFile::permissions(second), ownerOnlyFile());
    }

    void backupOfMissingFileFails()
    {
        QVERIFY(privatefiles::backup(test::isolatedRoot() + QStringLiteral("/missing.json")).isEmpty());
    }
};

VIBEML_TEST_MAIN_CORE(TestPrivateFiles)
#include "tst_privatefiles.moc"

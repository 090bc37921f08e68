#pragma once

#include <QString>
#include <QStringList>
#include <QTest>

#include <functional>

namespace vibeml::test {

// Called first in every test's main(): offscreen Qt unless a platform is set, and a private
// HOME and XDG directories so no test reads or writes the developer's real files.
void prepareTestProcess();

// The temporary root prepared above; removed when the process exits.
QString isolatedRoot();

// A file under tests/data.
QString dataPath(const QString &relative);

// Writes bytes to path (creating folders); returns false on failure.
bool writeFile(const QString &path, const QByteArray &bytes);
QByteArray readFile(const QString &path);

// A random token with the shape of a real Hugging Face user token: "hf_" + 34 letters/digits.
QString fakeHuggingFaceToken();

// Result of running a program to completion (tests only: they may block).
struct ProcessResult
{
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
};
ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &stdinData = {},
                         const QStringList &extraEnvironment = {}, const QStringList &removedEnvironment = {},
                         int timeoutMs = 30000);

} // namespace vibeml::test

// main() for tests that need no GUI: proves the code under test runs on QCoreApplication.
#define VIBEML_TEST_MAIN_CORE(TestObject)                                                                          \
    int main(int argc, char *argv[])                                                                               \
    {                                                                                                              \
        vibeml::test::prepareTestProcess();                                                                        \
        QCoreApplication app(argc, argv);                                                                          \
        TestObject testObject;                                                                                     \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                 \
        return QTest::qExec(&testObject, argc, argv);                                                              \
    }

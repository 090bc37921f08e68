// The loopback fake Hub as a program, for trying VibeML by hand and for screenshots:
//   fakehub_server            prints http://127.0.0.1:PORT and serves until killed
// then run VibeML with HF_ENDPOINT and HF_DATASETS_SERVER set to that URL.
#include "FakeHub.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    vibeml::test::FakeHub hub;
    if (!hub.start()) {
        QTextStream(stderr) << "fakehub_server: cannot listen on 127.0.0.1\n";
        return 1;
    }
    QTextStream(stdout) << hub.url().toString() << Qt::endl;
    return QCoreApplication::exec();
}

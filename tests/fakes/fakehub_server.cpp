// The loopback fake Hub as a program, for trying VibeML by hand and for screenshots:
//   fakehub_server [--latency-ms N]   prints http://127.0.0.1:PORT and serves until killed
// then run VibeML with HF_ENDPOINT and HF_DATASETS_SERVER set to that URL. --latency-ms delays every
// answer by N ms (FakeHub::setLatency), to feel a slow network.
#include "FakeHub.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    vibeml::test::FakeHub hub;
    const QStringList arguments = QCoreApplication::arguments();
    if (const qsizetype at = arguments.indexOf(QStringLiteral("--latency-ms")); at > 0) {
        bool ok = false;
        const int latency = arguments.value(at + 1).toInt(&ok);
        if (!ok || latency < 0) {
            QTextStream(stderr) << "fakehub_server: --latency-ms needs a number of milliseconds\n";
            return 2;
        }
        hub.setLatency(std::chrono::milliseconds(latency));
    }
    if (!hub.start()) {
        QTextStream(stderr) << "fakehub_server: cannot listen on 127.0.0.1\n";
        return 1;
    }
    QTextStream(stdout) << hub.url().toString() << Qt::endl;
    return QCoreApplication::exec();
}

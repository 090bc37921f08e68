// The floor for issue 9 item 3: the smallest Qt Widgets program with a main window — what any
// Qt Widgets application pays before it can show anything. Uses the same first-paint probe as
// vibeml (app/FirstPaintProbe.h).

#include "FirstPaintProbe.h"

#include <QApplication>
#include <QLabel>
#include <QMainWindow>

int main(int argc, char *argv[])
{
    QApplication application(argc, argv);
    vibeml::FirstPaintProbe::installIfAsked(application);
    QMainWindow window;
    window.setCentralWidget(new QLabel(QStringLiteral("Hello"), &window));
    window.resize(1100, 720);
    window.show();
    return QApplication::exec();
}

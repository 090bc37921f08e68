#pragma once

#include <QObject>
#include <QString>

#include <sys/types.h>

class QSocketNotifier;

namespace vibeml {

// One VibeML window per user and settings folder. The first window listens on a local socket;
// a second launch connects, asks it to come to the front and exits. Two windows would edit the
// same settings and journal and race to tear down the same clusters, so a second window is
// never useful. Blocking calls are used only in claim(), at start-up before any window exists.
// claim() takes the name; listen() (once the window has painted) opens the socket. Until then a
// flock on "<socket>.flock" makes other launches wait, so they find the socket when they knock.
// Plain AF_UNIX sockets and Qt Core: Qt Network would be loaded at start-up for this alone.
class SingleInstance : public QObject
{
    Q_OBJECT

public:
    enum class Role {
        Primary, // the name is ours: listen(), then activationRequested() fires when another launch pokes us
        Secondary, // a running window answered and was asked to come forward: exit now
        Unresponsive, // a window holds the name but did not answer in time: run without the name
    };

    // serverName: an absolute socket path, as serverNameFor() builds it.
    explicit SingleInstance(QString serverName, QObject *parent = nullptr);
    // Closes the socket and removes its file, unless another window's socket has replaced it.
    ~SingleInstance() override;

    // The socket for this user and this settings folder, in $XDG_RUNTIME_DIR (private to the
    // user). Hashing the folder in lets separate profiles (and parallel tests) run side by side.
    static QString serverNameFor(const QString &configDir);

    // A window still starting answers once its event loop runs, so the default is generous.
    // Unresponsive too (errorString() says why) when the socket cannot be reached at all.
    Role claim(int answerTimeoutMs = 5000);
    // After claim() said Primary: listens on the socket (only this user may connect) and lets
    // other launches knock. False (errorString() says why) when it cannot; the window then runs
    // without the name.
    bool listen();
    bool isListening() const { return m_listenFd >= 0; }
    QString serverName() const { return m_serverName; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void activationRequested();

private:
    enum class Knock { Answered, NobodyThere, StaleSocket, NoAnswer };
    Knock knock(int answerTimeoutMs);
    bool openSocket();
    void acceptConnections();

    void lock();
    void unlock();

    QString m_serverName;
    QString m_error;
    int m_listenFd = -1; // non-blocking; m_listener accepts on it
    QSocketNotifier *m_listener = nullptr;
    // The socket file listen() made: on destruction it is removed only while it is still this
    // one, never a later window's that was renamed over it.
    dev_t m_socketDevice = 0;
    ino_t m_socketInode = 0;
    int m_lockFd = -1; // flock'ed from claim() until listen(); the kernel drops it if we die
};

} // namespace vibeml

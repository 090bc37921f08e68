#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QTimer>

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace vibeml {
namespace {

const QByteArray kActivate = QByteArrayLiteral("activate\n");
const QByteArray kAcknowledged = QByteArrayLiteral("ok\n");
constexpr int kConnectTimeoutMs = 1000;
constexpr int kLockTimeoutMs = 5000;
constexpr int kPeerTimeoutMs = 5000; // a peer that never finishes its request is dropped
constexpr qint64 kLongestRequest = 64;

} // namespace

SingleInstance::SingleInstance(QString serverName, QObject *parent)
    : QObject(parent), m_serverName(std::move(serverName))
{
}

// The QLocalServer child closes on destruction, which removes the socket file.
SingleInstance::~SingleInstance()
{
    unlock();
}

QString SingleInstance::serverNameFor(const QString &configDir)
{
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(QDir::cleanPath(configDir).toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
    const QString runtimeDir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (!runtimeDir.isEmpty())
        return runtimeDir + QStringLiteral("/vibeml-") + hash + QStringLiteral(".socket");
    // No usable runtime folder: the shared temp folder, with the uid so users never collide.
    return QDir::tempPath() + QStringLiteral("/vibeml-%1-").arg(::getuid()) + hash + QStringLiteral(".socket");
}

SingleInstance::Role SingleInstance::claim(int answerTimeoutMs)
{
    // Two launches at once would both find no live window, and the second would replace the
    // socket the first creates (listen() with an access option renames its socket over whatever
    // file is there); the lock, held until listen(), makes them take turns. A flock goes with
    // its holder, so a crash never leaves it behind. Without the lock we still go on: a window
    // that opens beats one that never does.
    lock();
    switch (knock(answerTimeoutMs)) {
    case Knock::Answered:
        unlock();
        return Role::Secondary;
    case Knock::NoAnswer:
        unlock();
        return Role::Unresponsive;
    case Knock::StaleSocket:
        // Left by a window that crashed or was killed: nobody listens on it any more.
        QLocalServer::removeServer(m_serverName);
        break;
    case Knock::NobodyThere:
        break;
    }
    return Role::Primary;
}

bool SingleInstance::listen()
{
    if (m_server)
        return true;
    auto *server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    const bool listening = server->listen(m_serverName);
    unlock(); // whatever happened: launches waiting now knock, and find us or nobody
    if (!listening) {
        m_error = server->errorString();
        delete server;
        return false;
    }
    m_server = server;
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection())
            handleConnection(socket);
    });
    return true;
}

void SingleInstance::lock()
{
    const QByteArray path = QFile::encodeName(m_serverName + QStringLiteral(".flock"));
    m_lockFd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_lockFd < 0)
        return;
    const QDeadlineTimer deadline(kLockTimeoutMs);
    while (::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0) {
        if ((errno != EWOULDBLOCK && errno != EINTR) || deadline.hasExpired()) {
            unlock();
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5)); // another launch is starting its window
    }
}

void SingleInstance::unlock()
{
    if (m_lockFd >= 0)
        ::close(m_lockFd); // releases the flock; the empty file stays for the next launch
    m_lockFd = -1;
}

SingleInstance::Knock SingleInstance::knock(int answerTimeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_serverName);
    if (!socket.waitForConnected(kConnectTimeoutMs)) {
        switch (socket.error()) {
        case QLocalSocket::ServerNotFoundError:
            return Knock::NobodyThere;
        case QLocalSocket::ConnectionRefusedError:
            return Knock::StaleSocket;
        default:
            m_error = socket.errorString();
            return Knock::NoAnswer;
        }
    }
    socket.write(kActivate);
    // Wait for the acknowledgement: only then do we know a live window took the request.
    const QDeadlineTimer deadline(answerTimeoutMs);
    while (!socket.canReadLine() && socket.state() == QLocalSocket::ConnectedState
           && socket.waitForReadyRead(int(deadline.remainingTime()))) { }
    if (socket.canReadLine() && socket.readLine() == kAcknowledged) {
        socket.disconnectFromServer();
        return Knock::Answered;
    }
    m_error = tr("A VibeML window is running but did not answer within %1 ms").arg(answerTimeoutMs);
    return Knock::NoAnswer;
}

void SingleInstance::handleConnection(QLocalSocket *socket)
{
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kPeerTimeoutMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    const auto readRequest = [this, socket] {
        if (!socket->canReadLine()) {
            if (socket->bytesAvailable() > kLongestRequest)
                socket->abort();
            return;
        }
        if (socket->readLine(kLongestRequest) == kActivate) {
            socket->write(kAcknowledged);
            socket->flush();
            Q_EMIT activationRequested();
        }
        socket->disconnectFromServer();
    };
    connect(socket, &QLocalSocket::readyRead, this, readRequest);
    if (socket->bytesAvailable() > 0) // the request may have arrived with the connection
        readRequest();
}

} // namespace vibeml

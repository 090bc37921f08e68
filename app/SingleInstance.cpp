#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <limits>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace vibeml {
namespace {

const QByteArray kActivate = QByteArrayLiteral("activate\n");
const QByteArray kAcknowledged = QByteArrayLiteral("ok\n");
constexpr int kConnectTimeoutMs = 1000;
constexpr int kLockTimeoutMs = 5000;
constexpr int kPeerTimeoutMs = 5000; // a peer that never finishes its request is dropped
constexpr qsizetype kLongestRequest = 64;
constexpr int kAcceptRetryMs = 100;

// Owns a descriptor, so that every early return closes it.
class Fd
{
public:
    explicit Fd(int fd) : m_fd(fd) { }
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    bool isValid() const { return m_fd >= 0; }
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

// False when the path does not fit sun_path (108 bytes on Linux): it is never truncated.
bool toAddress(const QByteArray &path, sockaddr_un &address)
{
    address = {};
    address.sun_family = AF_UNIX;
    if (path.isEmpty() || path.contains('\0') || path.size() >= static_cast<qsizetype>(sizeof(address.sun_path)))
        return false;
    std::memcpy(address.sun_path, path.constData(), static_cast<size_t>(path.size()));
    return true;
}

const sockaddr *asSockaddr(const sockaddr_un &address)
{
    return reinterpret_cast<const sockaddr *>(&address);
}

// Waits until fd is ready for events or the deadline passes. Errors and hang-ups count as
// ready: the next read or write reports them.
bool waitFor(int fd, short events, const QDeadlineTimer &deadline)
{
    pollfd entry {fd, events, 0};
    for (;;) {
        const qint64 remaining = deadline.remainingTime(); // -1: forever, as poll() takes it
        const int ready
            = ::poll(&entry, 1, static_cast<int>(std::min<qint64>(remaining, std::numeric_limits<int>::max())));
        if (ready >= 0)
            return ready > 0;
        if (errno != EINTR)
            return false;
    }
}

// MSG_NOSIGNAL: a peer that has gone must not kill us with SIGPIPE.
bool sendAll(int fd, QByteArrayView data, const QDeadlineTimer &deadline)
{
    while (!data.isEmpty()) {
        const ssize_t sent = ::send(fd, data.data(), static_cast<size_t>(data.size()), MSG_NOSIGNAL);
        if (sent >= 0) {
            data = data.sliced(sent);
            continue;
        }
        if (errno == EINTR)
            continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || !waitFor(fd, POLLOUT, deadline))
            return false;
    }
    return true;
}

// One launch knocking on the window: reads its request, answers and goes, never blocking the
// event loop. Whatever the peer does (nothing, garbage, a flood, leaving half-way) it is closed.
class Peer final : public QObject
{
public:
    Peer(int fd, std::function<void()> onActivate, QObject *parent)
        : QObject(parent), m_fd(fd), m_notifier(fd, QSocketNotifier::Read), m_onActivate(std::move(onActivate))
    {
        connect(&m_notifier, &QSocketNotifier::activated, this, [this] { read(); });
        QTimer::singleShot(kPeerTimeoutMs, this, [this] { drop(); });
    }
    ~Peer() override { close(); }
    Peer(const Peer &) = delete;
    Peer &operator=(const Peer &) = delete;

private:
    void read()
    {
        char buffer[kLongestRequest + 1];
        while (m_fd >= 0) {
            // Never more than one byte past the longest request: a flood costs us nothing.
            const auto room = static_cast<size_t>(kLongestRequest + 1 - m_request.size());
            const ssize_t received = ::recv(m_fd, buffer, room, 0);
            if (received < 0 && errno == EINTR)
                continue;
            if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return; // the rest of the request is on its way
            if (received <= 0)
                return drop(); // gone (or broken) before finishing its request
            m_request.append(buffer, received);
            const qsizetype end = m_request.indexOf('\n');
            if (end < 0) {
                if (m_request.size() > kLongestRequest)
                    return drop();
                continue;
            }
            if (m_request.first(end + 1) != kActivate)
                return drop();
            sendAll(m_fd, kAcknowledged, QDeadlineTimer(0)); // a fresh socket always has room for it
            // The signal may run anything, even delete us: finish first, touch nothing after.
            const std::function<void()> onActivate = m_onActivate;
            drop();
            onActivate();
            return;
        }
    }

    void drop()
    {
        close();
        deleteLater();
    }

    void close()
    {
        if (m_fd < 0)
            return;
        m_notifier.setEnabled(false); // before close(): a notifier must never watch a closed descriptor
        ::close(m_fd);
        m_fd = -1;
    }

    int m_fd;
    QSocketNotifier m_notifier;
    std::function<void()> m_onActivate;
    QByteArray m_request;
};

} // namespace

SingleInstance::SingleInstance(QString serverName, QObject *parent)
    : QObject(parent), m_serverName(std::move(serverName))
{
}

// Peers are children: QObject deletes them, closing their descriptors.
SingleInstance::~SingleInstance()
{
    if (m_listenFd >= 0) {
        delete m_listener; // before close(): a notifier must never watch a closed descriptor
        m_listener = nullptr;
        const QByteArray path = QFile::encodeName(m_serverName);
        // A window that started after we stopped answering may have renamed its socket over ours.
        struct stat status = {};
        if (::lstat(path.constData(), &status) == 0 && status.st_dev == m_socketDevice
            && status.st_ino == m_socketInode)
            ::unlink(path.constData());
        ::close(m_listenFd);
    }
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
    // socket the first creates (listen() renames its socket over whatever file is there); the
    // lock, held until listen(), makes them take turns. A flock goes with its holder, so a crash
    // never leaves it behind. Without the lock we still go on: a window that opens beats one
    // that never does.
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
        ::unlink(QFile::encodeName(m_serverName).constData());
        break;
    case Knock::NobodyThere:
        break;
    }
    return Role::Primary;
}

bool SingleInstance::listen()
{
    if (m_listenFd >= 0)
        return true;
    const bool listening = openSocket();
    unlock(); // whatever happened: launches waiting now knock, and find us or nobody
    if (!listening)
        return false;
    m_listener = new QSocketNotifier(m_listenFd, QSocketNotifier::Read, this);
    connect(m_listener, &QSocketNotifier::activated, this, &SingleInstance::acceptConnections);
    return true;
}

bool SingleInstance::openSocket()
{
    // Bound under a temporary name next to the socket and made private there, then renamed into
    // place: a stale file is replaced atomically, and nobody can connect before the chmod, since
    // the socket does not listen until it has its final name and mode.
    const QByteArray path = QFile::encodeName(m_serverName);
    const QByteArray temporary = path + '.' + QByteArray::number(::getpid());
    sockaddr_un address = {}; // the temporary name's, to bind()
    if (!toAddress(path, address) || !toAddress(temporary, address)) {
        m_error = tr("Cannot listen on %1: the path is too long for a local socket (at most %2 bytes, including "
                     "a suffix of %3 for the temporary name)")
                      .arg(m_serverName)
                      .arg(sizeof(address.sun_path) - 1)
                      .arg(temporary.size() - path.size());
        return false;
    }
    const auto fail = [this](const QString &what, int error) {
        m_error = tr("Cannot listen on %1: %2 failed: %3").arg(m_serverName, what, qt_error_string(error));
        return false;
    };
    Fd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!socket.isValid())
        return fail(QStringLiteral("socket()"), errno);
    ::unlink(temporary.constData()); // left by an earlier process with our pid that died right here
    if (::bind(socket.get(), asSockaddr(address), sizeof(address)) != 0)
        return fail(QStringLiteral("bind()"), errno);
    struct stat status = {};
    const char *failed = nullptr;
    if (::chmod(temporary.constData(), 0600) != 0)
        failed = "chmod()";
    else if (::lstat(temporary.constData(), &status) != 0) // rename() keeps the inode: how we know our file later
        failed = "lstat()";
    else if (::rename(temporary.constData(), path.constData()) != 0)
        failed = "rename()";
    if (failed) {
        const int error = errno;
        ::unlink(temporary.constData());
        return fail(QLatin1String(failed), error);
    }
    if (::listen(socket.get(), SOMAXCONN) != 0) {
        const int error = errno;
        ::unlink(path.constData()); // ours, renamed there a moment ago, and nobody will ever answer on it
        return fail(QStringLiteral("listen()"), error);
    }
    m_socketDevice = status.st_dev;
    m_socketInode = status.st_ino;
    m_listenFd = socket.release();
    return true;
}

void SingleInstance::acceptConnections()
{
    for (;;) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            new Peer(
                fd, [this] { Q_EMIT activationRequested(); }, this);
            continue;
        }
        switch (errno) {
        case EINTR:
        case ECONNABORTED:
            continue;
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            // The knock stays queued; retry in a moment instead of spinning on a ready socket.
            m_listener->setEnabled(false);
            QTimer::singleShot(kAcceptRetryMs, m_listener, [listener = m_listener] { listener->setEnabled(true); });
            return;
        default:
            return; // EAGAIN: nobody else is waiting
        }
    }
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
    sockaddr_un address = {};
    if (!toAddress(QFile::encodeName(m_serverName), address)) {
        m_error = tr("Cannot knock on %1: the path is too long for a local socket (at most %2 bytes)")
                      .arg(m_serverName)
                      .arg(sizeof(address.sun_path) - 1);
        return Knock::NoAnswer;
    }
    const auto fail = [this](int error) {
        m_error = tr("Cannot knock on %1: %2").arg(m_serverName, qt_error_string(error));
        return Knock::NoAnswer;
    };
    const Fd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!socket.isValid())
        return fail(errno);
    // Blocking connect: a local one completes at once, unless the window's backlog is full; then
    // SO_SNDTIMEO bounds the wait (it fails with EAGAIN).
    const timeval connectTimeout {kConnectTimeoutMs / 1000, suseconds_t {kConnectTimeoutMs % 1000} * 1000};
    ::setsockopt(socket.get(), SOL_SOCKET, SO_SNDTIMEO, &connectTimeout, sizeof(connectTimeout));
    int connected = 0;
    do {
        connected = ::connect(socket.get(), asSockaddr(address), sizeof(address));
    } while (connected != 0 && errno == EINTR);
    if (connected != 0) {
        switch (errno) {
        case ENOENT:
            return Knock::NobodyThere;
        case ECONNREFUSED:
            return Knock::StaleSocket;
        default:
            return fail(errno);
        }
    }
    if (::fcntl(socket.get(), F_SETFL, ::fcntl(socket.get(), F_GETFL) | O_NONBLOCK) != 0)
        return fail(errno);

    // Wait for the acknowledgement: only then do we know a live window took the request.
    const QDeadlineTimer deadline(answerTimeoutMs);
    QByteArray reply;
    if (sendAll(socket.get(), kActivate, deadline)) {
        char buffer[kLongestRequest];
        while (!reply.contains('\n') && reply.size() < kLongestRequest) {
            const ssize_t received = ::recv(socket.get(), buffer, sizeof(buffer), 0);
            if (received > 0) {
                reply.append(buffer, received);
                continue;
            }
            if (received == 0)
                break; // the window closed the connection without answering
            if (errno == EINTR)
                continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || !waitFor(socket.get(), POLLIN, deadline))
                break;
        }
    }
    const qsizetype end = reply.indexOf('\n');
    if (end >= 0 && reply.first(end + 1) == kAcknowledged)
        return Knock::Answered;
    m_error = tr("A VibeML window is running but did not answer within %1 ms").arg(answerTimeoutMs);
    return Knock::NoAnswer;
}

} // namespace vibeml

#pragma once

#include "common/Result.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <functional>

namespace QKeychain {
class Job;
}

namespace vibeml {

enum class SecretId {
    HuggingFaceToken,
    WandbApiKey,
};

struct SecretError
{
    enum class Kind {
        NotFound,     // nothing stored under this name
        NoBackend,    // no Secret Service (gnome-keyring, KWallet, KeePassXC…) answered
        AccessDenied, // the user refused, or the keyring stayed locked
        TimedOut,     // the keyring did not answer in time (often an unanswered unlock prompt)
        Failed,
    };
    Kind kind = Kind::Failed;
    QString message; // what happened and what the user can do
};

// The OS keychain, through QtKeychain's asynchronous jobs. The only place VibeML keeps a
// secret; there is deliberately no fallback to a file.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using ReadHandler = std::function<void(const Result<QString, SecretError> &)>;
    using WriteHandler = std::function<void(const std::optional<SecretError> &)>;

    explicit SecretStore(QString serviceName = QStringLiteral("VibeML"), QObject *parent = nullptr);

    // Handlers run on this object's thread once the keychain answers or the timeout passes;
    // never if `context` is destroyed first.
    void read(SecretId id, QObject *context, ReadHandler handler);
    void write(SecretId id, const QString &secret, QObject *context, WriteHandler handler);
    void remove(SecretId id, QObject *context, WriteHandler handler);

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    QString serviceName() const { return m_serviceName; }

    static QString accountName(SecretId id);
    static QString displayName(SecretId id);

private:
    void run(QKeychain::Job *job, QObject *context, std::function<void(QKeychain::Job *, bool timedOut)> finish);
    SecretError errorFrom(const QKeychain::Job *job, SecretId id) const;

    QString m_serviceName;
    std::chrono::milliseconds m_timeout{std::chrono::seconds(60)};
};

} // namespace vibeml

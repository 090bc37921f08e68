#include "secrets/SecretStore.h"

#include "log/Logging.h"

#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace vibeml {
namespace {

// Messages libsecret and QtKeychain give when no Secret Service is on the bus; QtKeychain
// reports some of these as OtherError.
bool looksLikeMissingService(const QString &text)
{
    static const char *const markers[] = {"org.freedesktop.secrets", "not provided by any", "No such secret",
                                          "Cannot autolaunch", "Could not connect", "ServiceUnknown",
                                          "No backend", "not available", "Unable to autolaunch"};
    for (const char *marker : markers) {
        if (text.contains(QLatin1String(marker), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// A Secret Service is running but cannot open its default collection without a prompt.
bool looksLikeLockedKeyring(const QString &text)
{
    return text.contains(QLatin1String("/collection/"), Qt::CaseInsensitive)
           || text.contains(QLatin1String("prompt"), Qt::CaseInsensitive)
           || text.contains(QLatin1String("locked"), Qt::CaseInsensitive);
}

QString fallbackHint(SecretId id)
{
    switch (id) {
    case SecretId::HuggingFaceToken:
        return SecretStore::tr("Until then VibeML reads your Hugging Face token from HF_TOKEN or from the Hub's token "
                               "file (~/.cache/huggingface/token, written by `hf auth login`).");
    case SecretId::WandbApiKey:
        return SecretStore::tr("Until then VibeML reads your Weights & Biases key from WANDB_API_KEY.");
    }
    return {};
}

} // namespace

SecretStore::SecretStore(QString serviceName, QObject *parent)
    : QObject(parent), m_serviceName(std::move(serviceName))
{
}

QString SecretStore::accountName(SecretId id)
{
    switch (id) {
    case SecretId::HuggingFaceToken:
        return QStringLiteral("huggingface-token");
    case SecretId::WandbApiKey:
        return QStringLiteral("wandb-api-key");
    }
    return {};
}

QString SecretStore::displayName(SecretId id)
{
    switch (id) {
    case SecretId::HuggingFaceToken:
        return tr("Hugging Face token");
    case SecretId::WandbApiKey:
        return tr("Weights & Biases API key");
    }
    return {};
}

void SecretStore::read(SecretId id, QObject *context, ReadHandler handler)
{
    auto *job = new QKeychain::ReadPasswordJob(m_serviceName);
    job->setKey(accountName(id));
    run(job, context, [this, id, handler = std::move(handler)](QKeychain::Job *finished, bool timedOut) {
        if (timedOut) {
            handler(SecretError{SecretError::Kind::TimedOut,
                                tr("The keychain did not answer within %1 seconds. If it is asking for a password, "
                                   "unlock it and try again.")
                                    .arg(m_timeout.count() / 1000)});
            return;
        }
        if (finished->error() != QKeychain::NoError) {
            handler(errorFrom(finished, id));
            return;
        }
        handler(static_cast<QKeychain::ReadPasswordJob *>(finished)->textData());
    });
}

void SecretStore::write(SecretId id, const QString &secret, QObject *context, WriteHandler handler)
{
    auto *job = new QKeychain::WritePasswordJob(m_serviceName);
    job->setKey(accountName(id));
    job->setTextData(secret);
    run(job, context, [this, id, handler = std::move(handler)](QKeychain::Job *finished, bool timedOut) {
        if (timedOut)
            handler(SecretError{SecretError::Kind::TimedOut,
                                tr("The keychain did not answer within %1 seconds, so the %2 may not be saved. "
                                   "Unlock your keyring and save it again.")
                                    .arg(m_timeout.count() / 1000)
                                    .arg(displayName(id))});
        else if (finished->error() != QKeychain::NoError)
            handler(errorFrom(finished, id));
        else
            handler(std::nullopt);
    });
}

void SecretStore::remove(SecretId id, QObject *context, WriteHandler handler)
{
    auto *job = new QKeychain::DeletePasswordJob(m_serviceName);
    job->setKey(accountName(id));
    run(job, context, [this, id, handler = std::move(handler)](QKeychain::Job *finished, bool timedOut) {
        if (timedOut)
            handler(SecretError{SecretError::Kind::TimedOut,
                                tr("The keychain did not answer within %1 seconds; the %2 may still be stored.")
                                    .arg(m_timeout.count() / 1000)
                                    .arg(displayName(id))});
        else if (finished->error() != QKeychain::NoError && finished->error() != QKeychain::EntryNotFound)
            handler(errorFrom(finished, id));
        else
            handler(std::nullopt);
    });
}

void SecretStore::run(QKeychain::Job *job, QObject *context,
                      std::function<void(QKeychain::Job *, bool timedOut)> finish)
{
    // A job that times out may still answer later; it deletes itself when it does, and its
    // answer is ignored.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    auto answered = std::make_shared<bool>(false);
    QPointer<QObject> guard(context);
    auto complete = [answered, guard, finish = std::move(finish)](QKeychain::Job *finished, bool timedOut) {
        if (*answered)
            return;
        *answered = true;
        if (guard)
            finish(finished, timedOut);
    };
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    connect(job, &QKeychain::Job::finished, this, [complete, timer](QKeychain::Job *finished) {
        timer->stop();
        complete(finished, false);
    });
    connect(timer, &QTimer::timeout, this, [complete, job] { complete(job, true); });
    timer->start(m_timeout);
    job->start();
}

SecretError SecretStore::errorFrom(const QKeychain::Job *job, SecretId id) const
{
    const QString detail = job->errorString();
    log::app()->info("Keychain {} for {}: error {} ({})", job->metaObject()->className(), accountName(id),
                     static_cast<int>(job->error()), detail);
    switch (job->error()) {
    case QKeychain::EntryNotFound:
        return {SecretError::Kind::NotFound, tr("No %1 is stored in the keychain.").arg(displayName(id))};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return {SecretError::Kind::AccessDenied,
                tr("The keychain refused access to the %1 (%2). Unlock your keyring and try again.")
                    .arg(displayName(id), detail)};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        break;
    default:
        if (looksLikeLockedKeyring(detail))
            return {SecretError::Kind::AccessDenied,
                    tr("The keychain is locked or has no default collection (%1). Unlock your keyring (log in to "
                       "your desktop session, or open it in your keyring manager) and try again.")
                        .arg(detail)};
        if (!looksLikeMissingService(detail))
            return {SecretError::Kind::Failed,
                    tr("The keychain could not handle the %1: %2").arg(displayName(id), detail)};
        break;
    }
    return {SecretError::Kind::NoBackend,
            tr("No keychain is available: no Secret Service (gnome-keyring, KWallet or KeePassXC) answered on the "
               "session bus (%1). Start one to store secrets in VibeML. %2")
                .arg(detail, fallbackHint(id))};
}

} // namespace vibeml

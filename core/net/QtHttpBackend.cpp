#include "net/QtHttpBackend.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace vibeml::net {

QtHttpBackend::QtHttpBackend(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this)) {}

QtHttpBackend::~QtHttpBackend()
{
    for (auto &[id, pending] : m_pending) {
        if (pending.reply) {
            pending.reply->disconnect(this);
            pending.reply->abort();
            pending.reply->deleteLater();
        }
    }
}

hub::HttpBackend::ExchangeId QtHttpBackend::start(const hub::HttpExchange &exchange, Done done)
{
    QNetworkRequest request(exchange.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(exchange.timeoutMs);
    for (const auto &[name, value] : exchange.headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = exchange.method == "HEAD" ? m_network->head(request) : m_network->get(request);

    const ExchangeId id = m_nextId++;
    m_pending.emplace(id, Pending{reply, std::move(done), exchange.maxBytes, false});
    // Qt throttles downloadProgress, so check the announced length and what has arrived.
    const auto enforceCap = [this, id] {
        const auto found = m_pending.find(id);
        if (found == m_pending.end() || !found->second.reply)
            return;
        QNetworkReply *current = found->second.reply;
        const qint64 announced = current->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (announced > found->second.maxBytes || current->bytesAvailable() > found->second.maxBytes) {
            found->second.tooLarge = true;
            current->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, enforceCap);
    connect(reply, &QNetworkReply::readyRead, this, enforceCap);
    connect(reply, &QNetworkReply::finished, this, [this, id] { finish(id); });
    return id;
}

void QtHttpBackend::abort(ExchangeId id)
{
    const auto found = m_pending.find(id);
    if (found == m_pending.end())
        return;
    if (QNetworkReply *reply = found->second.reply) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_pending.erase(found);
}

void QtHttpBackend::finish(ExchangeId id)
{
    const auto found = m_pending.find(id);
    if (found == m_pending.end())
        return;
    Pending pending = std::move(found->second);
    m_pending.erase(found);
    QNetworkReply *reply = pending.reply;
    if (!reply)
        return;
    reply->deleteLater();

    hub::HttpExchangeResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.headers = reply->rawHeaderPairs();
    const QNetworkReply::NetworkError error = reply->error();
    if (error != QNetworkReply::NoError)
        result.failureDetail = reply->errorString();
    if (pending.tooLarge || reply->bytesAvailable() > pending.maxBytes) {
        result.failure = hub::HttpExchangeResult::Failure::TooLarge;
    } else if (result.status == 0) {
        const bool timedOut = error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError;
        result.failure = timedOut ? hub::HttpExchangeResult::Failure::Timeout : hub::HttpExchangeResult::Failure::Network;
    } else {
        result.body = reply->readAll();
    }
    pending.done(std::move(result));
}

} // namespace vibeml::net

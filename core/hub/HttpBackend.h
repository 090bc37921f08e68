#pragma once

#include "hub/HttpHeaders.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>
#include <QtPlugin>

#include <functional>
#include <memory>
#include <utility>

namespace vibeml::hub {

// One HTTP exchange, as HubTransport asks for it: no redirects followed, no retries; those are
// HubTransport's policy.
struct HttpExchange
{
    QUrl url;
    QByteArray method = "GET"; // GET or HEAD
    QList<std::pair<QByteArray, QByteArray>> headers;
    int timeoutMs = 10'000; // without a byte moving
    qint64 maxBytes = 16 * 1024 * 1024;
};

struct HttpExchangeResult
{
    enum class Failure { None, Timeout, TooLarge, Network };
    Failure failure = Failure::None;
    QString failureDetail;
    int status = 0; // 0: no HTTP answer
    RawHeaders headers;
    QByteArray body;
};

// Sends exchanges over the network. The program loads the real one (Qt Network, with Kerberos
// and libproxy behind it) from the network module after the window's first paint
// (core/net/NetworkModule.cpp); until then HubTransport queues its requests.
class HttpBackend
{
public:
    using ExchangeId = quint64;
    using Done = std::function<void(HttpExchangeResult)>;

    virtual ~HttpBackend() = default;

    // `done` runs once, from the event loop, unless abort(id) comes first.
    virtual ExchangeId start(const HttpExchange &exchange, Done done) = 0;
    virtual void abort(ExchangeId id) = 0;
};

// What the network module provides: its plugin object implements this.
class NetworkModule
{
public:
    virtual ~NetworkModule() = default;

    virtual std::unique_ptr<HttpBackend> createHttpBackend() const = 0;
};

} // namespace vibeml::hub

#define VibeMLNetworkModule_iid "io.github.vibeml.NetworkModule/1"
Q_DECLARE_INTERFACE(vibeml::hub::NetworkModule, VibeMLNetworkModule_iid)

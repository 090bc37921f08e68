#pragma once

#include "hub/HttpBackend.h"
#include "hub/HttpHeaders.h"
#include "hub/HubAccess.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace vibeml::hub {

struct HttpRequest
{
    QUrl url;
    QByteArray method = "GET"; // GET or HEAD
    qint64 maxBytes = 16 * 1024 * 1024;
    int maxAttempts = 5;       // 1 = never retry (search-as-you-type)
    bool allowToken = true;
};

struct HttpResponse
{
    enum class Failure { None, Offline, Timeout, Network, TooLarge, TooManyRedirects };
    Failure failure = Failure::None;
    QString failureDetail;
    int status = 0;
    RawHeaders headers;
    QByteArray body;
    QUrl finalUrl;
    bool tokenSent = false;
    int attempts = 0;

    bool isSuccess() const { return failure == Failure::None && status >= 200 && status < 300; }
};

// Every Hub and viewer request goes through here: a bounded number in flight, a transfer
// timeout, a cap on redirects and on response size, the token only for the trusted origins
// (and never across a redirect to another origin), RateLimit-aware waits on 429, and
// exponential back-off with jitter on 5xx and network errors. Nothing blocks; each request
// ends in exactly one handler call unless it is cancelled or its context object dies.
// The exchanges themselves go through an HttpBackend: requests sent before it is set wait.
class HubTransport : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const HttpResponse &)>;
    using RequestId = quint64;

    explicit HubTransport(HttpBackend *backend = nullptr, QObject *parent = nullptr);
    ~HubTransport() override;

    // The backend requests go through (not owned; it must outlive this); waiting requests leave.
    void setBackend(HttpBackend *backend);
    // There will be no backend (the network module could not be loaded): every request, waiting
    // or new, fails as a network failure with `reason`.
    void setUnavailable(const QString &reason);

    void setEndpoints(const HubEndpoints &endpoints) { m_endpoints = endpoints; }
    const HubEndpoints &endpoints() const { return m_endpoints; }
    void setToken(const QString &token) { m_token = token; }
    bool hasToken() const { return !m_token.isEmpty(); }

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setMaxInFlight(int count) { m_maxInFlight = std::max(1, count); }
    void setBackoff(std::chrono::milliseconds first, std::chrono::milliseconds cap);

    RequestId send(HttpRequest request, QObject *context, Handler handler);
    void cancel(RequestId id);

    int inFlight() const { return m_inFlight; }
    int peakInFlight() const { return m_peakInFlight; }
    std::optional<RateLimitReading> lastRateLimit() const { return m_lastRateLimit; }

Q_SIGNALS:
    void rateLimitChanged(const vibeml::hub::RateLimitReading &reading);
    // A 429 emptied the window: requests wait this many seconds before going out again.
    void waitingForRateLimit(int seconds);

private:
    struct Job;
    void pump();
    void startAttempt(Job &job);
    void onExchangeFinished(RequestId id, HttpExchangeResult result);
    void retryLater(Job &job, std::chrono::milliseconds delay);
    void complete(RequestId id, HttpResponse response);
    std::chrono::milliseconds backoffDelay(int attempt) const;
    QString bucketOf(const QUrl &url) const;

    HttpBackend *m_backend = nullptr;
    QString m_unavailable;
    HubEndpoints m_endpoints;
    QString m_token;
    std::chrono::milliseconds m_timeout{10'000};
    std::chrono::milliseconds m_backoffFirst{1000};
    std::chrono::milliseconds m_backoffCap{8000};
    int m_maxInFlight = 4;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    RequestId m_nextId = 1;
    std::map<RequestId, std::unique_ptr<Job>> m_jobs;
    std::deque<RequestId> m_queue;
    std::map<QString, std::chrono::steady_clock::time_point> m_bucketHolds;
    bool m_pumpScheduled = false;
    std::optional<RateLimitReading> m_lastRateLimit;
};

} // namespace vibeml::hub

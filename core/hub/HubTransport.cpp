#include "hub/HubTransport.h"

#include "log/Logging.h"

#include "vibeml/Version.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimer>

#include <cmath>

namespace vibeml::hub {
namespace {

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool isRetryableStatus(int status)
{
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && a.port(-1) == b.port(-1);
}

QByteArray userAgent()
{
    return QByteArrayLiteral("vibeml/") + QByteArray(kVersion) + QByteArrayLiteral("; hf_hub-compatible; qt/")
           + QByteArray(qVersion());
}

} // namespace

struct HubTransport::Job
{
    RequestId id = 0;
    HttpRequest request;
    QPointer<QObject> context;
    bool hadContext = false;
    Handler handler;
    QUrl currentUrl;
    bool tokenAllowed = true;
    int redirects = 0;
    int attempts = 0;
    std::optional<HttpBackend::ExchangeId> exchange; // in flight
    bool tokenSent = false;
    QElapsedTimer clock;
};

HubTransport::HubTransport(HttpBackend *backend, QObject *parent) : QObject(parent), m_backend(backend) {}

HubTransport::~HubTransport()
{
    for (auto &[id, job] : m_jobs) {
        if (job->exchange)
            m_backend->abort(*job->exchange);
    }
}

void HubTransport::setBackend(HttpBackend *backend)
{
    Q_ASSERT(m_inFlight == 0 || backend == m_backend);
    m_backend = backend;
    m_unavailable.clear();
    pump();
}

void HubTransport::setUnavailable(const QString &reason)
{
    m_unavailable = reason;
    pump();
}

void HubTransport::setBackoff(std::chrono::milliseconds first, std::chrono::milliseconds cap)
{
    m_backoffFirst = first;
    m_backoffCap = cap;
}

HubTransport::RequestId HubTransport::send(HttpRequest request, QObject *context, Handler handler)
{
    auto job = std::make_unique<Job>();
    job->id = m_nextId++;
    job->context = context;
    job->hadContext = context != nullptr;
    job->handler = std::move(handler);
    job->currentUrl = request.url;
    job->tokenAllowed = request.allowToken && isTrustedOrigin(request.url, m_endpoints);
    job->request = std::move(request);
    const RequestId id = job->id;
    m_jobs.emplace(id, std::move(job));

    if (m_endpoints.offline) {
        // No network at all: answer from the event loop, like any other request.
        QTimer::singleShot(0, this, [this, id] {
            HttpResponse response;
            response.failure = HttpResponse::Failure::Offline;
            response.failureDetail = QStringLiteral("HF_HUB_OFFLINE=1");
            complete(id, std::move(response));
        });
        return id;
    }
    m_queue.push_back(id);
    pump();
    return id;
}

void HubTransport::cancel(RequestId id)
{
    const auto found = m_jobs.find(id);
    if (found == m_jobs.end())
        return;
    Job &job = *found->second;
    std::erase(m_queue, id);
    if (job.exchange) {
        m_backend->abort(*job.exchange);
        --m_inFlight;
    }
    m_jobs.erase(found); // a pending retry finds no job and does nothing
    pump();
}

QString HubTransport::bucketOf(const QUrl &url) const
{
    if (url.path().contains(QLatin1String("/resolve/")))
        return QStringLiteral("resolvers");
    if (sameOrigin(url, m_endpoints.viewer))
        return QStringLiteral("viewer");
    return QStringLiteral("api");
}

void HubTransport::pump()
{
    if (!m_unavailable.isEmpty()) {
        // Answered from the event loop, like any other request.
        for (const RequestId id : std::exchange(m_queue, {})) {
            QTimer::singleShot(0, this, [this, id] {
                HttpResponse response;
                response.failure = HttpResponse::Failure::Network;
                response.failureDetail = m_unavailable;
                complete(id, std::move(response));
            });
        }
        return;
    }
    if (!m_backend)
        return; // requests wait for it
    const auto now = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::time_point> earliestHold;
    for (auto it = m_queue.begin(); it != m_queue.end() && m_inFlight < m_maxInFlight;) {
        const auto jobIt = m_jobs.find(*it);
        if (jobIt == m_jobs.end()) {
            it = m_queue.erase(it);
            continue;
        }
        Job &job = *jobIt->second;
        const auto hold = m_bucketHolds.find(bucketOf(job.currentUrl));
        if (hold != m_bucketHolds.end() && hold->second > now) {
            if (!earliestHold || hold->second < *earliestHold)
                earliestHold = hold->second;
            ++it;
            continue;
        }
        it = m_queue.erase(it);
        startAttempt(job);
    }
    if (earliestHold && !m_pumpScheduled) {
        m_pumpScheduled = true;
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*earliestHold - now);
        QTimer::singleShot(wait + std::chrono::milliseconds(5), this, [this] {
            m_pumpScheduled = false;
            pump();
        });
    }
}

void HubTransport::startAttempt(Job &job)
{
    ++job.attempts;
    ++m_inFlight;
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
    job.clock.start();

    HttpExchange exchange;
    exchange.url = job.currentUrl;
    exchange.method = job.request.method;
    exchange.timeoutMs = static_cast<int>(m_timeout.count());
    exchange.maxBytes = job.request.maxBytes;
    exchange.headers = {{"User-Agent", userAgent()}, {"Accept", "application/json"}};
    job.tokenSent = job.tokenAllowed && !m_token.isEmpty() && isTrustedOrigin(job.currentUrl, m_endpoints);
    if (job.tokenSent)
        exchange.headers.append({"Authorization", QByteArrayLiteral("Bearer ") + m_token.toUtf8()});
    const RequestId id = job.id;
    job.exchange = m_backend->start(exchange, [this, id](HttpExchangeResult result) { onExchangeFinished(id, std::move(result)); });
}

void HubTransport::onExchangeFinished(RequestId id, HttpExchangeResult result)
{
    const auto found = m_jobs.find(id);
    if (found == m_jobs.end())
        return;
    Job &job = *found->second;
    if (!job.exchange)
        return;
    job.exchange.reset();
    --m_inFlight;

    if (job.hadContext && !job.context) {
        m_jobs.erase(found);
        pump();
        return;
    }

    HttpResponse response;
    response.attempts = job.attempts;
    response.finalUrl = job.currentUrl;
    response.tokenSent = job.tokenSent;
    response.status = result.status;
    response.headers = std::move(result.headers);

    if (const auto reading = parseRateLimit(response.headers)) {
        m_lastRateLimit = reading;
        Q_EMIT rateLimitChanged(*reading);
    }
    log::hub()->debug("{} {} -> {} in {} ms (attempt {}){}", job.request.method, job.currentUrl.toDisplayString(),
                      response.status, job.clock.elapsed(), job.attempts,
                      result.failureDetail.isEmpty() ? QString() : QStringLiteral(" ") + result.failureDetail);

    if (result.failure == HttpExchangeResult::Failure::TooLarge) {
        response.failure = HttpResponse::Failure::TooLarge;
        response.failureDetail = QStringLiteral("more than %1 bytes").arg(job.request.maxBytes);
        complete(id, std::move(response));
        return;
    }

    if (response.status == 0) {
        // No HTTP answer at all: timeout or a network failure, both worth retrying.
        if (job.attempts < job.request.maxAttempts) {
            retryLater(job, backoffDelay(job.attempts));
            return;
        }
        response.failure = result.failure == HttpExchangeResult::Failure::Timeout ? HttpResponse::Failure::Timeout
                                                                                   : HttpResponse::Failure::Network;
        response.failureDetail = result.failureDetail;
        complete(id, std::move(response));
        return;
    }

    if (isRedirect(response.status)) {
        const QUrl location = job.currentUrl.resolved(QUrl(QString::fromUtf8(headerValue(response.headers, "Location"))));
        const bool downgrade = job.currentUrl.scheme() == QLatin1String("https") && location.scheme() != QLatin1String("https");
        if (!location.isValid() || location.isEmpty() || downgrade || job.redirects >= 5) {
            response.failure = HttpResponse::Failure::TooManyRedirects;
            response.failureDetail = downgrade ? QStringLiteral("refused a redirect from https to %1").arg(location.scheme())
                                               : QStringLiteral("more than 5 redirects");
            complete(id, std::move(response));
            return;
        }
        ++job.redirects;
        // The token never follows a redirect to another origin.
        if (!sameOrigin(location, job.currentUrl))
            job.tokenAllowed = false;
        if (response.status == 303)
            job.request.method = "GET";
        job.currentUrl = location;
        --job.attempts; // a redirect is not a failed attempt
        m_queue.push_front(id);
        pump();
        return;
    }

    if (isRetryableStatus(response.status) && job.attempts < job.request.maxAttempts) {
        std::chrono::milliseconds delay = backoffDelay(job.attempts);
        const std::optional<RateLimitReading> reading = parseRateLimit(response.headers);
        if (response.status == 429 && reading && reading->exhausted() && reading->resetSeconds >= 0) {
            delay = std::chrono::seconds(reading->resetSeconds + 1);
            m_bucketHolds[bucketOf(job.currentUrl)] = std::chrono::steady_clock::now() + delay;
            Q_EMIT waitingForRateLimit(reading->resetSeconds + 1);
        } else if (const std::optional<int> retryAfter = parseRetryAfter(response.headers)) {
            delay = std::chrono::seconds(*retryAfter);
        }
        retryLater(job, delay);
        return;
    }

    response.body = job.request.method == "HEAD" ? QByteArray() : std::move(result.body);
    complete(id, std::move(response));
}

std::chrono::milliseconds HubTransport::backoffDelay(int attempt) const
{
    // 1, 2, 4, 8 s (capped), each scaled by a random 0.75–1.25 so clients do not retry in step.
    const double exponential = static_cast<double>(m_backoffFirst.count()) * std::pow(2.0, std::max(0, attempt - 1));
    const double capped = std::min(exponential, static_cast<double>(m_backoffCap.count()));
    const double jitter = 0.75 + 0.5 * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(static_cast<qint64>(capped * jitter));
}

void HubTransport::retryLater(Job &job, std::chrono::milliseconds delay)
{
    log::hub()->info("Retrying {} in {} ms (attempt {} of {})", job.currentUrl.toDisplayString(), delay.count(),
                     job.attempts + 1, job.request.maxAttempts);
    const RequestId id = job.id;
    QTimer::singleShot(delay, this, [this, id] {
        if (!m_jobs.contains(id))
            return;
        m_queue.push_front(id);
        pump();
    });
    pump();
}

void HubTransport::complete(RequestId id, HttpResponse response)
{
    const auto found = m_jobs.find(id);
    if (found == m_jobs.end())
        return;
    std::unique_ptr<Job> job = std::move(found->second);
    m_jobs.erase(found);
    // The handler may send or cancel requests; the job is already out of the books.
    if (!job->hadContext || job->context)
        job->handler(response);
    pump();
}

} // namespace vibeml::hub

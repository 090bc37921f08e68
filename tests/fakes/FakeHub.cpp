#include "FakeHub.h"

#include "TestSupport.h"

#include <QDateTime>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <sys/socket.h>

namespace vibeml::test {

namespace {

constexpr int kTokenLength = 34; // characters after "hf_", like a real user token
constexpr int kRateLimitWindowSeconds = 300;
constexpr qsizetype kHugeBodyBytes = qsizetype(50) * 1024 * 1024;

// "hf_" + stem padded to 34 letters/digits. Assembled here so no source file holds a literal that
// secret scanners (and our own redaction tests) would mistake for a leaked token.
QString makeToken(QStringView stem)
{
    QString token = QStringLiteral("hf_") + stem;
    for (int i = 0; token.size() < kTokenLength + 3; ++i)
        token += QChar(u'a' + i % 26);
    return token;
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    default:
        return QByteArrayLiteral("OTHER");
    }
}

// Header names arrive in whatever case the client used; HTTP says compare case-insensitively.
QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    const auto headers = request.headers();
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

} // namespace

QByteArray FakeHub::Reply::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

void FakeHub::Reply::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

void FakeHub::Reply::removeHeader(const QByteArray &name)
{
    headers.removeIf([&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

FakeHub::FakeHub(QObject *parent) : QAbstractHttpServer(parent), m_root(dataPath(QStringLiteral("hub")))
{
    m_clock.start();
    setToken(validToken(), TokenKind::Valid);
    setToken(notApprovedToken(), TokenKind::NotApproved);
    setToken(fineGrainedNoGatedToken(), TokenKind::FineGrainedNoGatedScope);
    setToken(invalidToken(), TokenKind::Invalid);
}

// Sockets (including those held open by NeverAnswer and those awaiting a SlowAnswer timer) are
// children of the QTcpServer the base class owns, so they go with it; the timers use the socket as
// context and die with it.
FakeHub::~FakeHub() = default;

bool FakeHub::start()
{
    m_port = listen(QHostAddress::LocalHost, 0);
    return m_port != 0;
}

QUrl FakeHub::url() const
{
    if (m_port == 0)
        return {};
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QString FakeHub::validToken()
{
    return makeToken(u"FakeHubValid");
}

QString FakeHub::notApprovedToken()
{
    return makeToken(u"FakeHubNotApproved");
}

QString FakeHub::fineGrainedNoGatedToken()
{
    return makeToken(u"FakeHubFineGrainedNoGated");
}

QString FakeHub::invalidToken()
{
    return makeToken(u"FakeHubInvalid");
}

void FakeHub::setToken(const QString &token, TokenKind kind)
{
    m_tokens.insert(token, kind);
}

void FakeHub::setFault(Fault fault, const QString &pathPrefix, int times)
{
    if (fault == Fault::None) {
        m_faults.removeIf([&pathPrefix](const FaultRule &rule) { return rule.prefix == pathPrefix; });
        return;
    }
    if (times == 0)
        return;
    m_faults.append({fault, pathPrefix, times});
}

void FakeHub::clearFaults()
{
    m_faults.clear();
}

void FakeHub::setDelay(std::chrono::milliseconds delay)
{
    m_delay = delay;
}

std::chrono::milliseconds FakeHub::delay() const
{
    return m_delay;
}

void FakeHub::setLatency(std::chrono::milliseconds latency)
{
    m_latency = std::max(latency, std::chrono::milliseconds(0));
}

std::chrono::milliseconds FakeHub::latency() const
{
    return m_latency;
}

void FakeHub::setRateLimitReset(int seconds)
{
    m_rateLimitReset = seconds;
}

void FakeHub::setRemaining(int remaining)
{
    m_remaining = remaining;
}

int FakeHub::remaining() const
{
    return m_remaining;
}

void FakeHub::setRedirect(const QString &path, const QString &location, int status)
{
    // Other codes would make QHttpServerResponder throw (it looks the reason phrase up with map::at).
    const bool isRedirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    m_redirects.insert(path, {location, isRedirect ? status : 307});
}

QList<FakeHub::Request> FakeHub::requests() const
{
    return m_requests;
}

void FakeHub::clearRequests()
{
    m_requests.clear();
}

int FakeHub::countRequests(const QString &pathPrefix) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(),
                             [&pathPrefix](const Request &r) { return r.path.startsWith(pathPrefix); }));
}

FakeHub::Call FakeHub::digest(const QHttpServerRequest &request) const
{
    Call call;
    call.method = methodName(request.method());
    const QUrl requestUrl = request.url();
    call.path = requestUrl.path(QUrl::FullyDecoded);
    call.encodedSegments = requestUrl.path(QUrl::FullyEncoded).split(u'/', Qt::SkipEmptyParts);
    for (const QString &segment : std::as_const(call.encodedSegments))
        call.segments.append(QUrl::fromPercentEncoding(segment.toUtf8()));
    call.query = QUrlQuery(requestUrl);
    call.rawQuery = requestUrl.query(QUrl::FullyEncoded);

    const QByteArray authorization = headerValue(request, QByteArrayLiteral("authorization"));
    if (!authorization.isEmpty()) {
        call.anonymous = false;
        const QByteArray prefix = QByteArrayLiteral("Bearer ");
        const QString token = authorization.startsWith(prefix)
            ? QString::fromUtf8(authorization.mid(prefix.size())).trimmed()
            : QString();
        call.token = m_tokens.value(token, TokenKind::Invalid);
    }
    return call;
}

std::optional<FakeHub::Fault> FakeHub::takeFault(const QString &path)
{
    for (auto it = m_faults.begin(); it != m_faults.end(); ++it) {
        if (!path.startsWith(it->prefix))
            continue;
        const Fault fault = it->fault;
        if (it->times > 0 && --it->times == 0)
            m_faults.erase(it);
        return fault;
    }
    return std::nullopt;
}

FakeHub::Bucket FakeHub::bucketFor(const Call &call)
{
    const QStringList &s = call.segments;
    if (s.value(0) == QLatin1String("api"))
        return Bucket::Api;
    if ((s.size() >= 4 && s.at(2) == QLatin1String("resolve"))
        || (s.size() >= 5 && s.at(0) == QLatin1String("datasets") && s.at(3) == QLatin1String("resolve")))
        return Bucket::Resolvers;
    return Bucket::None; // the dataset viewer sends no rate-limit headers
}

// Every Hub reply, errors and redirects included, carries the live rate-limit reading (hub.md §1.9)
// and a fresh request id, whatever the fixture or envelope recorded.
void FakeHub::finishHeaders(Reply &reply, Bucket bucket)
{
    if (bucket == Bucket::None)
        return;
    const qint64 elapsed = m_clock.elapsed() / 1000;
    const qint64 secondsLeft = kRateLimitWindowSeconds - elapsed % kRateLimitWindowSeconds;
    const bool api = bucket == Bucket::Api;
    int &remaining = api ? m_remaining : m_resolverRemaining;
    const QByteArray name = api ? QByteArrayLiteral("\"api\"") : QByteArrayLiteral("\"resolvers\"");
    const QByteArray quota = api ? QByteArrayLiteral("500") : QByteArrayLiteral("3000");
    reply.setHeader(QByteArrayLiteral("RateLimit"),
                    name + ";r=" + QByteArray::number(remaining) + ";t=" + QByteArray::number(secondsLeft));
    reply.setHeader(QByteArrayLiteral("RateLimit-Policy"),
                    "\"fixed window\";" + name + ";q=" + quota + ";w=" + QByteArray::number(kRateLimitWindowSeconds));
    remaining = std::max(0, remaining - 1);
    reply.setHeader(QByteArrayLiteral("X-Request-Id"),
                    "Root=1-" + QByteArray::number(QDateTime::currentSecsSinceEpoch(), 16) + '-'
                        + QByteArray::number(++m_requestCounter, 16).rightJustified(24, '0'));
}

FakeHub::Reply FakeHub::faultReply(Fault fault, const Call &call)
{
    const Bucket bucket = bucketFor(call);
    Reply reply;
    switch (fault) {
    case Fault::RateLimited: {
        reply = envelope(QStringLiteral("errors/api__models__search-llama__429-rate-limited.json"));
        finishHeaders(reply, bucket == Bucket::None ? Bucket::Api : bucket);
        const bool resolvers = bucket == Bucket::Resolvers;
        reply.setHeader(QByteArrayLiteral("RateLimit"),
                        (resolvers ? "\"resolvers\"" : "\"api\"") + QByteArray(";r=0;t=")
                            + QByteArray::number(m_rateLimitReset));
        return reply;
    }
    case Fault::MalformedJson: {
        const Reply real = route(call);
        QByteArray body = real.body.left(real.body.size() / 2);
        if (body.isEmpty())
            body = QByteArrayLiteral("{\"id\": \"tr");
        reply = jsonReply(body);
        break;
    }
    case Fault::HugeBody:
        reply = jsonReply(hugeBody());
        break;
    case Fault::ServerError:
        reply = jsonReply(QByteArrayLiteral("{\"error\":\"Internal Error\"}"), 500);
        break;
    case Fault::ServiceUnavailable:
        reply.status = 503;
        reply.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html; charset=utf-8"));
        reply.body = QByteArrayLiteral("<html><head><title>503 Service Temporarily Unavailable</title></head>"
                                       "<body><h1>503 Service Temporarily Unavailable</h1></body></html>\n");
        break;
    case Fault::None:
    case Fault::NeverAnswer:
    case Fault::SlowAnswer:
    case Fault::ConnectionReset:
        reply = route(call); // handled by the caller; never reached
        break;
    }
    finishHeaders(reply, bucket);
    return reply;
}

// A JSON array of about a million small objects: valid JSON, so a client that fails on it failed
// because of its size cap and not because of a parse error.
QByteArray FakeHub::hugeBody()
{
    if (m_hugeBody.isEmpty()) {
        const QByteArray item = QByteArrayLiteral("{\"id\":\"fake-org/filler-model\",\"downloads\":0,\"likes\":0}");
        m_hugeBody.reserve(kHugeBodyBytes + item.size() + 2);
        m_hugeBody.append('[');
        while (m_hugeBody.size() < kHugeBodyBytes) {
            if (m_hugeBody.size() > 1)
                m_hugeBody.append(',');
            m_hugeBody.append(item);
        }
        m_hugeBody.append(']');
    }
    return m_hugeBody;
}

void FakeHub::deliver(QHttpServerResponder &responder, const Reply &reply, bool headOnly) const
{
    QTcpSocket *socket = responder.socket();
    if (!socket || !socket->isOpen())
        return;
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    for (const auto &[name, value] : reply.headers)
        responder.writeHeader(name, value);
    // HEAD answers with the Content-Length a GET would have, and no body (RFC 9110 §9.3.2).
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(reply.body.size()));
    responder.writeBody(headOnly ? QByteArray() : reply.body);
}

void FakeHub::resetConnection(QTcpSocket *socket)
{
    const qintptr descriptor = socket->socketDescriptor();
    if (descriptor != -1) {
        // A zero linger time makes close() send RST instead of FIN: the client sees "connection reset".
        const linger hard {1, 0};
        ::setsockopt(static_cast<int>(descriptor), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    socket->abort();
}

bool FakeHub::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const Call call = digest(request);
    m_requests.append({call.method, call.path, call.query, headerValue(request, QByteArrayLiteral("authorization")),
                       headerValue(request, QByteArrayLiteral("user-agent"))});
    Q_EMIT requestReceived(call.path);
    const bool headOnly = call.method == "HEAD";

    if (const auto redirect = m_redirects.find(call.path); redirect != m_redirects.end()) {
        Reply reply = redirectTo(redirect->second, redirect->first);
        m_redirects.erase(redirect);
        finishHeaders(reply, bucketFor(call));
        deliverAfter(m_latency, request, socket, reply, headOnly);
        return true;
    }

    const std::optional<Fault> fault = takeFault(call.path);
    if (fault == Fault::NeverAnswer)
        return true; // the socket stays open until the client gives up or the server is destroyed
    if (fault == Fault::ConnectionReset) {
        // Deferred: we are inside the server's readyRead handling of this very socket.
        QTimer::singleShot(m_latency, socket, [socket] { resetConnection(socket); });
        return true;
    }

    Reply reply;
    if (fault && fault != Fault::SlowAnswer) {
        reply = faultReply(*fault, call);
    } else {
        reply = route(call);
        finishHeaders(reply, bucketFor(call));
    }

    deliverAfter(fault == Fault::SlowAnswer ? m_delay + m_latency : m_latency, request, socket, reply, headOnly);
    return true;
}

void FakeHub::deliverAfter(std::chrono::milliseconds wait, const QHttpServerRequest &request, QTcpSocket *socket,
                           const Reply &reply, bool headOnly)
{
    if (wait.count() <= 0) {
        auto responder = makeResponder(request, socket);
        deliver(responder, reply, headOnly);
        return;
    }
    // The client may give up first: the socket is the timer's context (no call once it is gone)
    // and the QPointer catches a socket that is closed but not yet deleted.
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    QTimer::singleShot(wait, socket, [this, responder, reply, headOnly, guard = QPointer<QTcpSocket>(socket)] {
        if (guard && guard->state() == QAbstractSocket::ConnectedState)
            deliver(*responder, reply, headOnly);
    });
}

void FakeHub::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers everything; this only satisfies the base class.
    auto responder = makeResponder(request, socket);
    responder.write(QByteArrayLiteral("Not Found\n"), QByteArrayLiteral("text/plain"),
                    QHttpServerResponder::StatusCode::NotFound);
}

} // namespace vibeml::test

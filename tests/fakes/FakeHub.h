#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>
#include <optional>

class QHttpServerResponder;

namespace vibeml::test {

// A loopback stand-in for https://huggingface.co and https://datasets-server.huggingface.co, serving
// the captured fixtures in tests/data/hub and reproducing the Hub's status/header matrix (hub.md §1.8),
// rate-limit headers (§1.9), relative 307 renames (§1.7) and the faults a client must survive.
// One instance serves both the Hub routes (/api/…, /<org>/<name>/resolve/…) and the viewer routes
// (/is-valid, /splits, /info, /size, /first-rows), so a client points both base URLs at url().
class FakeHub : public QAbstractHttpServer
{
    Q_OBJECT

public:
    enum class TokenKind {
        Valid, // may read every gated repo
        NotApproved, // a real account that was never granted access to gated repos
        FineGrainedNoGatedScope, // fine-grained token without "read public gated repos"
        Invalid, // revoked or mistyped: 401 on every Hub call
    };
    enum class Fault {
        None, // setFault(None, prefix) removes the faults set for prefix
        RateLimited, // 429, HTML body, RateLimit: "api";r=0;t=<rateLimitReset>
        NeverAnswer, // keep the connection open, never reply
        SlowAnswer, // the normal reply, after delay()
        ConnectionReset, // close the socket abruptly (RST) without a response
        MalformedJson, // 200 application/json with the real body cut in half
        HugeBody, // 200 with a 50 MiB JSON body
        ServerError, // 500 {"error":"Internal Error"}
        ServiceUnavailable, // 503 with an HTML body
    };
    struct Request
    {
        QByteArray method;
        QString path; // percent-decoded
        QUrlQuery query;
        QByteArray authorization; // the raw header value, empty when absent
        QByteArray userAgent;
    };

    // Serves tests/data/hub (constructed extras from tests/data/hub/fake).
    explicit FakeHub(QObject *parent = nullptr);
    ~FakeHub() override;

    bool start(); // listens on 127.0.0.1:0; false on failure
    QUrl url() const; // http://127.0.0.1:<port>, empty before start()

    // Well-known tokens, registered by the constructor. Built at run time so no source file holds
    // something that looks like a real token to secret scanners.
    static QString validToken();
    static QString notApprovedToken();
    static QString fineGrainedNoGatedToken();
    static QString invalidToken();
    // Any other token sent to the fake is treated as Invalid until registered here.
    void setToken(const QString &token, TokenKind kind);

    // A fault applies to requests whose decoded path starts with pathPrefix ("" = every request), for
    // the next `times` matching requests (-1 = until cleared). The first matching fault wins.
    // Note: QNetworkAccessManager silently resends an idempotent request once when the connection
    // dies before any byte of the reply, so ConnectionReset needs times >= 2 to reach the client.
    void setFault(Fault fault, const QString &pathPrefix = QString(), int times = -1);
    void clearFaults();
    void setDelay(std::chrono::milliseconds delay); // for SlowAnswer (default 2 s)
    std::chrono::milliseconds delay() const;
    // Injected network latency: every answer (redirects and faults included; a SlowAnswer waits
    // delay() on top) leaves this long after its request arrived. Default 0: answered at once.
    void setLatency(std::chrono::milliseconds latency);
    std::chrono::milliseconds latency() const;
    void setRateLimitReset(int seconds); // t= of a 429 (default 2)
    void setRemaining(int remaining); // r= of the next /api reply (default 499, decremented per /api request)
    int remaining() const;

    // The next request for exactly `path` (decoded, without query) answers `status` (301, 302, 303,
    // 307 or 308) with Location `location`, verbatim (absolute or relative). One-shot.
    void setRedirect(const QString &path, const QString &location, int status = 307);

    QList<Request> requests() const;
    void clearRequests();
    int countRequests(const QString &pathPrefix) const;

Q_SIGNALS:
    // Emitted when a request has been recorded, before it is answered (or not, under NeverAnswer).
    void requestReceived(const QString &path);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Reply
    {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers; // in order; names compared case-insensitively
        QByteArray body;

        QByteArray header(const QByteArray &name) const;
        void setHeader(const QByteArray &name, const QByteArray &value);
        void removeHeader(const QByteArray &name);
    };
    enum class Bucket { None, Api, Resolvers };
    enum class RepoType { Model, Dataset };
    // One incoming request, pre-digested for the routes.
    struct Call
    {
        QByteArray method;
        QString path; // decoded
        QStringList segments; // decoded, split on the encoded "/" so "refs%2Fpr%2F1" stays one segment
        QStringList encodedSegments; // the same, still percent-encoded (for Location headers)
        QUrlQuery query;
        QString rawQuery; // encoded, for redirects that must preserve it
        bool anonymous = true;
        TokenKind token = TokenKind::Invalid; // meaningful only when !anonymous
    };
    struct FaultRule
    {
        Fault fault;
        QString prefix;
        int times;
    };
    struct RepoInfo
    {
        QString id; // canonical
        QByteArray body;
        QString sha;
        bool gated = false;
    };

    // FakeHub.cpp: plumbing.
    Call digest(const QHttpServerRequest &request) const;
    std::optional<Fault> takeFault(const QString &path);
    Reply faultReply(Fault fault, const Call &call);
    void finishHeaders(Reply &reply, Bucket bucket);
    static Bucket bucketFor(const Call &call);
    void deliver(QHttpServerResponder &responder, const Reply &reply, bool headOnly) const;
    void deliverAfter(std::chrono::milliseconds wait, const QHttpServerRequest &request, QTcpSocket *socket, const Reply &reply,
                      bool headOnly);
    static void resetConnection(QTcpSocket *socket);
    QByteArray hugeBody();

    // FakeHubFixtures.cpp: fixture files and envelopes.
    QByteArray fixture(const QString &relative) const; // null when absent
    bool hasFixture(const QString &relative) const;
    Reply envelope(const QString &relative) const;
    Reply jsonReply(const QByteArray &body, int status = 200) const;
    static Reply errorReply(int status, const QString &message, const QByteArray &errorCode = {});
    std::optional<RepoInfo> findRepo(RepoType type, const QString &id) const;
    QString caseInsensitiveRepo(RepoType type, const QString &id) const;
    static bool isSafeName(const QString &name);
    static QString typePlural(RepoType type);
    static QString typeSingular(RepoType type);

    // FakeHubRoutes.cpp: the Hub.
    Reply route(const Call &call);
    Reply routeApi(const Call &call);
    Reply routeWhoami(const Call &call) const;
    Reply routeSearch(RepoType type, const Call &call) const;
    Reply routeRepo(RepoType type, const Call &call) const;
    Reply routeInfo(RepoType type, const RepoInfo &repo, const QString &revision, const Call &call) const;
    Reply routeTree(RepoType type, const RepoInfo &repo, const QStringList &tail, const Call &call) const;
    Reply routeAuthCheck(RepoType type, const RepoInfo &repo, const Call &call) const;
    Reply routeResolve(RepoType type, const QStringList &rest, const Call &call) const;
    Reply missingRepo(const Call &call) const;
    Reply invalidTokenReply() const;
    Reply revisionNotFound(const QString &revision) const;
    Reply entryNotFound() const;
    Reply gatedDenied(RepoType type, const QString &id, const Call &call, bool resolve) const;
    Reply redirectTo(int status, const QString &location) const;

    // FakeHubViewer.cpp: the dataset viewer.
    Reply routeViewer(const Call &call) const;
    Reply viewerInfoAllConfigs(const QString &stem, const QString &dataset) const;

    QString m_root;
    QHash<QString, TokenKind> m_tokens;
    QList<FaultRule> m_faults;
    QHash<QString, QPair<QString, int>> m_redirects; // path -> (location, status)
    QList<Request> m_requests;
    std::chrono::milliseconds m_delay {2000};
    std::chrono::milliseconds m_latency {0};
    int m_rateLimitReset = 2;
    int m_remaining = 499;
    int m_resolverRemaining = 2999;
    quint16 m_port = 0;
    quint64 m_requestCounter = 0;
    QElapsedTimer m_clock; // the 300 s rate-limit window runs from construction
    QByteArray m_hugeBody;
};

} // namespace vibeml::test

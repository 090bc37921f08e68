#pragma once

#include "common/Result.h"
#include "hub/HubAccess.h"
#include "hub/HubError.h"
#include "hub/HubParsers.h"
#include "hub/HubTransport.h"
#include "hub/HubTypes.h"

#include <QDateTime>
#include <QObject>
#include <QSet>

#include <chrono>
#include <functional>
#include <map>
#include <optional>

namespace vibeml::hub {

class HubCache;
class OfflineSnapshot;

// Where an answer came from, so the UI can say how fresh it is.
enum class AnswerOrigin {
    Network,    // fetched just now
    Cache,      // fetched earlier, still within its time-to-live
    StaleCache, // older than its time-to-live, used because the Hub could not be reached
    Snapshot,   // the offline snapshot shipped with VibeML
};

template<typename T>
struct Fetched
{
    T value;
    AnswerOrigin origin = AnswerOrigin::Network;
    QDateTime fetchedAt; // for Snapshot: the snapshot's date
};

// "live", "cached 4 min ago", "offline: cached 3 days ago", "offline snapshot of 2026-11-28".
QString describeOrigin(AnswerOrigin origin, const QDateTime &fetchedAt, const QDateTime &now = QDateTime::currentDateTimeUtc());

template<typename T>
using HubResult = Result<Fetched<T>, HubError>;

// The Hub and dataset-viewer API VibeML uses, over HubTransport, with an on-disk cache and the
// offline snapshot as fall-backs. Every call is asynchronous and ends in one callback (unless
// cancelled, or the receiver is destroyed first).
class HubClient : public QObject
{
    Q_OBJECT

public:
    using Handle = quint64;
    template<typename T>
    using Callback = std::function<void(const HubResult<T> &)>;

    struct TimeToLive
    {
        std::chrono::seconds info{10 * 60};
        std::chrono::seconds search{10 * 60};
        std::chrono::seconds whoami{60 * 60};
        std::chrono::seconds viewer{60 * 60};
        std::chrono::seconds pinned{7 * 24 * 60 * 60}; // anything addressed by a commit sha
    };

    HubClient(HubTransport &transport, HubCache *cache, const OfflineSnapshot *snapshot, QObject *parent = nullptr);

    void setToken(const ResolvedToken &token);
    const ResolvedToken &token() const { return m_token; }
    const HubEndpoints &endpoints() const { return m_transport.endpoints(); }
    void setTimeToLive(const TimeToLive &ttl) { m_ttl = ttl; }

    Handle modelInfo(const QString &id, const QString &revision, QObject *receiver, Callback<ModelInfo> callback);
    Handle datasetInfo(const QString &id, const QString &revision, QObject *receiver, Callback<DatasetInfo> callback);
    // One page sorted by downloads; `limit` 1–100. Search-as-you-type: one try, no retries.
    Handle search(RepoKind kind, const QString &query, int limit, QObject *receiver, Callback<SearchPage> callback);
    Handle nextPage(RepoKind kind, const QUrl &next, QObject *receiver, Callback<SearchPage> callback);
    // What search() would answer from the cache right now, synchronously: nullopt unless a fresh
    // (within its time-to-live) cached answer exists. Lets search-as-you-type show a query asked
    // before at once, without waiting for the typing to pause.
    std::optional<Fetched<SearchPage>> cachedSearch(RepoKind kind, const QString &query, int limit) const;
    // Follows the listing's own pagination (at most 20 pages).
    Handle tree(RepoKind kind, const QString &id, const QString &revision, const QString &path, bool recursive,
                QObject *receiver, Callback<QList<TreeEntry>> callback);
    // Succeeds when the current token may download the repo's files (never cached).
    Handle authCheck(RepoKind kind, const QString &id, QObject *receiver, Callback<bool> callback);
    // Asked once per token and remembered: /whoami-v2 is strictly rate-limited.
    Handle whoami(QObject *receiver, Callback<WhoAmI> callback);
    Handle modelConfig(const QString &id, const QString &revision, QObject *receiver, Callback<ModelConfig> callback);

    Handle viewerValidity(const QString &dataset, QObject *receiver, Callback<ViewerValidity> callback);
    Handle viewerSplits(const QString &dataset, QObject *receiver, Callback<ViewerSplits> callback);
    Handle viewerInfo(const QString &dataset, const QString &config, QObject *receiver, Callback<ViewerInfo> callback);
    Handle viewerSize(const QString &dataset, const QString &config, QObject *receiver, Callback<ViewerSize> callback);
    Handle firstRows(const QString &dataset, const QString &config, const QString &split, QObject *receiver,
                     Callback<FirstRows> callback);

    void cancel(Handle handle);

Q_SIGNALS:
    // After every setToken(), even with the same token: whoever shows the account asks again.
    void tokenChanged();

private:
    struct Call
    {
        RequestContext context;
        HttpRequest request;
        std::chrono::seconds ttl{0}; // 0: never answered from the cache
        QString snapshotPath;        // empty: no snapshot fall-back
    };

    template<typename T, typename Parse>
    Handle fetch(Call call, QObject *receiver, Parse parse, Callback<T> callback);
    template<typename T, typename Parse>
    void fetchInto(Handle handle, Call call, QObject *receiver, Parse parse, Callback<T> callback);
    template<typename T>
    Handle failLater(HubError error, QObject *receiver, Callback<T> callback);
    void deliverLater(Handle handle, QObject *receiver, std::function<void()> deliver);
    bool takeCancelled(Handle handle);

    RequestContext repoContext(RepoKind kind, const QString &id, const QString &revision) const;
    QUrl hubUrl(const QString &path) const;
    QUrl viewerUrl(const QString &path, const QList<std::pair<QString, QString>> &query) const;
    std::optional<HubError> checkId(const QString &id, const QString &revision, RepoKind kind) const;
    void fetchTreePage(Handle handle, const Call &first, QUrl url, QList<TreeEntry> soFar, int page, QObject *receiver,
                       Callback<QList<TreeEntry>> callback);

    HubTransport &m_transport;
    HubCache *m_cache;
    const OfflineSnapshot *m_snapshot;
    ResolvedToken m_token;
    TimeToLive m_ttl;
    Handle m_nextHandle = 1;
    std::map<Handle, HubTransport::RequestId> m_inFlight;
    QSet<Handle> m_deliveringLater;
    QSet<Handle> m_cancelled;
    QHash<QString, WhoAmI> m_whoamiByToken; // token fingerprint -> answer
};

} // namespace vibeml::hub

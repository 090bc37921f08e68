#pragma once

#include "FakeHub.h"
#include "TestSupport.h"

#include "hub/HubCache.h"
#include "hub/HubClient.h"
#include "hub/HubTransport.h"
#include "hub/OfflineSnapshot.h"
#include "net/QtHttpBackend.h"

#include <memory>
#include <optional>

namespace vibeml::test {

// A HubClient wired to a running FakeHub, with short timeouts and back-off so fault tests are
// quick, a fresh cache folder per rig, and the compiled-in offline snapshot.
struct HubTestRig
{
    FakeHub fake;
    net::QtHttpBackend backend;
    hub::HubTransport transport{&backend};
    std::unique_ptr<hub::HubCache> cache;
    hub::OfflineSnapshot snapshot = hub::OfflineSnapshot::load();
    std::unique_ptr<hub::HubClient> client;

    HubTestRig()
    {
        static int counter = 0;
        fake.start();
        cache = std::make_unique<hub::HubCache>(isolatedRoot() + QStringLiteral("/hubcache-%1").arg(++counter));
        transport.setEndpoints(endpoints());
        transport.setTimeout(std::chrono::milliseconds(2000));
        transport.setBackoff(std::chrono::milliseconds(20), std::chrono::milliseconds(80));
        client = std::make_unique<hub::HubClient>(transport, cache.get(), &snapshot);
    }

    hub::HubEndpoints endpoints(bool offline = false) const
    {
        hub::HubEndpoints result;
        result.hub = fake.url();
        result.viewer = fake.url();
        result.hubSource = QStringLiteral("test");
        result.viewerSource = QStringLiteral("test");
        result.offline = offline;
        return result;
    }

    void setOffline(bool offline) { transport.setEndpoints(endpoints(offline)); }

    void useToken(const QString &token)
    {
        client->setToken(token.isEmpty() ? hub::ResolvedToken{}
                                         : hub::ResolvedToken{token, hub::TokenSource::EnvHfToken, QStringLiteral("HF_TOKEN")});
    }

    // Starts a call and waits for its answer (tests may block).
    template<typename T, typename Start>
    std::optional<hub::HubResult<T>> await(Start start, int timeoutMs = 15000)
    {
        std::optional<hub::HubResult<T>> result;
        QObject receiver;
        start(&receiver, [&result](const hub::HubResult<T> &answer) { result = answer; });
        (void)QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs);
        return result;
    }
};

} // namespace vibeml::test

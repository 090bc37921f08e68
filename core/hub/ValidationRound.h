#pragma once

#include "hub/HubClient.h"

#include <functional>

namespace vibeml::hub {

// The bookkeeping ModelValidator and DatasetValidator share for one validation: its Hub requests,
// answered in any order, some started by the answers of others. restart() abandons the previous
// validation (its requests are cancelled; an answer already on its way is ignored). Each answer
// of the current one runs its handler; after the last, `settled` runs.
class ValidationRound
{
public:
    ValidationRound(HubClient &client, std::function<void()> settled) : m_client(client), m_settled(std::move(settled)) {}

    void restart()
    {
        for (HubClient::Handle handle : std::as_const(m_handles))
            m_client.cancel(handle);
        m_handles.clear();
        ++m_generation;
        m_pending = 0;
    }

    // The callback for one more request of this validation; hand the request's handle to track().
    template<typename T>
    HubClient::Callback<T> expect(std::function<void(const HubResult<T> &)> handler)
    {
        ++m_pending;
        return [this, generation = m_generation, handler = std::move(handler)](const HubResult<T> &result) {
            if (generation != m_generation)
                return;
            handler(result);
            if (--m_pending == 0) {
                m_handles.clear();
                m_settled();
            }
        };
    }
    void track(HubClient::Handle handle) { m_handles.append(handle); }

    bool isRunning() const { return m_pending > 0; }

private:
    HubClient &m_client;
    std::function<void()> m_settled;
    quint64 m_generation = 0;
    int m_pending = 0;
    QList<HubClient::Handle> m_handles;
};

// What every report takes from the repository's info answer.
template<typename Report, typename Info>
void takeInfo(Report &report, const Fetched<Info> &fetched, const QString &requestedId)
{
    report.info = fetched.value;
    report.origin = fetched.origin;
    report.fetchedAt = fetched.fetchedAt;
    report.canonicalId = fetched.value.id.isEmpty() ? requestedId : fetched.value.id;
    if (fetched.origin != AnswerOrigin::Snapshot)
        report.pinnedSha = fetched.value.sha; // a snapshot's answer pins nothing
}

} // namespace vibeml::hub

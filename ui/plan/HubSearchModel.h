#pragma once

#include "hub/HubClient.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace vibeml::hub {
class OfflineSnapshot;
}

namespace vibeml {

// Hub search results for the model and dataset pickers. Search-as-you-type: setQuery() waits for
// the typing to pause (debounce), sends one search, and drops every answer but the latest
// query's; a query whose answer is still fresh in the cache is shown at once, without waiting. When the Hub cannot be reached the offline snapshot answers instead, labelled with its
// date. An empty query lists the recent picks.
class HubSearchModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { IdColumn, DownloadsColumn, LikesColumn, SizeColumn, AccessColumn, LicenceColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, SortRole, RestrictedRole };

    HubSearchModel(hub::HubClient &client, hub::RepoKind kind, const hub::OfflineSnapshot *snapshot = nullptr,
                   QObject *parent = nullptr);

    hub::RepoKind kind() const { return m_kind; }
    void setDebounce(std::chrono::milliseconds delay) { m_debounce.setInterval(delay); }
    int debounceInterval() const { return m_debounce.interval(); } // ms

    // Restarts the pause timer; the search goes out when it fires (or at once with searchNow()).
    void setQuery(const QString &query);
    void searchNow();
    QString query() const { return m_query; }
    bool isSearching() const { return m_handle != 0 || m_debounce.isActive(); }

    void setRecent(const QStringList &ids);
    bool showsRecent() const { return m_showingRecent; }

    // "live", "offline snapshot of 2026-11-28", "No model matches “xyz”.", an error, …
    QString statusText() const { return m_status; }
    QString idAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void statusChanged(const QString &status);
    void searchFinished();

private:
    void startSearch();
    void onAnswer(quint64 generation, const hub::HubResult<hub::SearchPage> &result);
    void showPage(const hub::Fetched<hub::SearchPage> &page);
    void showHits(QList<hub::SearchHit> hits, const QString &status);
    void setStatus(const QString &status);
    void showRecent();

    hub::HubClient &m_client;
    hub::RepoKind m_kind;
    const hub::OfflineSnapshot *m_snapshot;
    QTimer m_debounce;
    QString m_query;
    quint64 m_generation = 0;
    hub::HubClient::Handle m_handle = 0;
    QList<hub::SearchHit> m_hits;
    QStringList m_recent;
    bool m_showingRecent = true;
    QString m_status;
};

} // namespace vibeml

#pragma once

#include "hub/HubTypes.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace vibeml {

class HubSearchModel;
class Settings;
namespace hub {
class HubClient;
class OfflineSnapshot;
} // namespace hub

// The search half of a picker: a field that searches the Hub as you type, the answer's origin,
// and the results (or the recent picks) as a sortable table. Enter on a full id ("org/name")
// uses it as typed; Enter, a double click or "Use" on a result chooses that result.
class HubSearchBox : public QWidget
{
    Q_OBJECT

public:
    HubSearchBox(hub::HubClient &client, hub::RepoKind kind, Settings *settings, const hub::OfflineSnapshot *snapshot,
                 QWidget *parent = nullptr);

    void remember(const QString &id);

    QLineEdit *field() const { return m_field; }
    QTableView *view() const { return m_view; }
    HubSearchModel *model() const { return m_model; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    void chosen(const QString &id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void chooseCurrent();
    void onReturn();

    hub::RepoKind m_kind;
    Settings *m_settings;
    HubSearchModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_field;
    QLabel *m_status;
    QTableView *m_view;
    QPushButton *m_use;
};

} // namespace vibeml

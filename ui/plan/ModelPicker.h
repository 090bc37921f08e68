#pragma once

#include "hub/ModelValidator.h"

#include <QWidget>

#include <optional>

class QGroupBox;
class QLabel;

namespace vibeml {

class HubSearchBox;
class Settings;
namespace hub {
class OfflineSnapshot;
}

// Step one of a plan: find a model on the Hub and check it. Choosing one runs ModelValidator and
// shows the details card: the pinned commit, size, architecture and every check with what to do
// about it (e.g. a link to request access to a gated model).
class ModelPicker : public QWidget
{
    Q_OBJECT

public:
    ModelPicker(hub::HubClient &client, Settings *settings, const hub::OfflineSnapshot *snapshot, QWidget *parent = nullptr);

    void choose(const QString &id);
    bool isValidating() const { return m_validator.isRunning(); }
    const std::optional<hub::ModelReport> &report() const { return m_report; }

    HubSearchBox *searchBox() const { return m_search; }
    QLabel *checksLabel() const { return m_checks; }
    QLabel *titleLabel() const { return m_title; }
    QLabel *factsLabel() const { return m_facts; }

Q_SIGNALS:
    void validationStarted(const QString &id);
    void modelChosen(const vibeml::hub::ModelReport &report);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showReport();

    hub::ModelValidator m_validator;
    HubSearchBox *m_search;
    QGroupBox *m_card;
    QLabel *m_title;
    QLabel *m_facts;
    QLabel *m_checks;
    std::optional<hub::ModelReport> m_report;
};

} // namespace vibeml

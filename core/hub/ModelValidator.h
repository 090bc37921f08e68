#pragma once

#include "hub/HubClient.h"
#include "hub/ValidationReport.h"
#include "hub/ValidationRound.h"

#include <QObject>

#include <optional>

namespace vibeml::hub {

// Answers "can VibeML fine-tune this model with this token?" before anything is spent: the
// model info, then in parallel the access check and the token's scope (gated repos only),
// config.json and the file tree, folded into a ModelReport with a verdict per check.
class ModelValidator : public QObject
{
    Q_OBJECT

public:
    explicit ModelValidator(HubClient &client, QObject *parent = nullptr);

    // Starts over; a validation still running is abandoned (its answers are ignored).
    void validate(const QString &id, const QString &revision = QString());
    bool isRunning() const { return m_round.isRunning(); }
    const ModelReport &report() const { return m_report; }

Q_SIGNALS:
    void finished(const vibeml::hub::ModelReport &report);

private:
    void onInfo(const HubResult<ModelInfo> &result);
    void settle();
    void buildChecks();
    void addAccessCheck();
    void addSizeCheck();

    HubClient &m_client;
    ValidationRound m_round;
    ModelReport m_report;
    std::optional<HubResult<bool>> m_access;
    std::optional<WhoAmI> m_whoami;
    std::optional<QList<TreeEntry>> m_tree;
};

// Download size of what transformers fetches: the safetensors weights (or .bin when there are
// none) plus the small files, leaving out Meta's original/ checkpoints and other formats.
std::optional<qint64> downloadSize(const QList<TreeEntry> &tree);

} // namespace vibeml::hub

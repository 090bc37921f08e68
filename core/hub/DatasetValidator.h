#pragma once

#include "hub/HubClient.h"
#include "hub/ValidationReport.h"
#include "hub/ValidationRound.h"

#include <QObject>

#include <optional>

namespace vibeml::hub {

struct DatasetRequest
{
    QString id;
    QString revision;
    QString config;                       // empty: "default" or the first
    QString split;                        // empty: "train", "train_sft", … or the first
    std::optional<ColumnMapping> mapping; // the user's override of the detected layout
};

// Answers "can VibeML train on this dataset, and how much data is it?": dataset info and
// access, then the dataset viewer (splits, columns, sizes, first rows) with the dataset card as
// the fall-back, the detected layout and a token estimate, folded into a DatasetReport.
class DatasetValidator : public QObject
{
    Q_OBJECT

public:
    explicit DatasetValidator(HubClient &client, QObject *parent = nullptr);

    void validate(const DatasetRequest &request);
    bool isRunning() const { return m_round.isRunning(); }
    const DatasetReport &report() const { return m_report; }

Q_SIGNALS:
    void finished(const vibeml::hub::DatasetReport &report);

private:
    void onInfo(const HubResult<DatasetInfo> &result);
    void onValidity(const HubResult<ViewerValidity> &result);
    void requestViewerDetails();
    void settle();
    void buildChecks();
    void chooseConfigAndSplit();

    HubClient &m_client;
    ValidationRound m_round;
    DatasetRequest m_request;
    DatasetReport m_report;
    std::optional<HubResult<bool>> m_access;
    std::optional<HubError> m_viewerError;
    std::optional<ViewerSplits> m_viewerSplits;
    std::optional<ViewerInfo> m_viewerInfo;
    std::optional<ViewerSize> m_viewerSize;
    std::optional<FirstRows> m_firstRows;
};

} // namespace vibeml::hub

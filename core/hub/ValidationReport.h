#pragma once

#include "hub/DatasetFormat.h"
#include "hub/HubClient.h"
#include "hub/HubError.h"
#include "hub/HubParsers.h"
#include "hub/HubTypes.h"
#include "hub/ModelSupport.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace vibeml::hub {

// One line of a pre-flight report: what was checked, the verdict, and what to do about it.
struct CheckLine
{
    enum class Verdict { Pass, Warn, Fail };
    enum class Topic { Exists, Access, Parameters, Dtype, Architecture, Licence, Size, Revision, Viewer, Splits, Columns, Format, Tokens };
    Topic topic = Topic::Exists;
    Verdict verdict = Verdict::Pass;
    QString title;  // "Access", "Parameters", …
    QString text;   // "8.03 B parameters (safetensors)"
    QUrl actionUrl; // e.g. the access request page
};

QString verdictSymbol(CheckLine::Verdict verdict); // "✓", "!", "✗"
QString verdictName(CheckLine::Verdict verdict);   // "pass", "warn", "fail"

struct ModelReport
{
    QString requestedId;
    QString canonicalId; // after a rename redirect
    QString requestedRevision;
    QString pinnedSha;   // the commit a launch uses; empty when unknown (offline snapshot)
    std::optional<ModelInfo> info;
    std::optional<HubError> infoError; // why there is no info
    std::optional<ModelConfig> config;
    ParameterCount parameters;
    QString dtype;
    ArchitectureSupport architecture;
    std::optional<qint64> downloadBytes;
    AnswerOrigin origin = AnswerOrigin::Network;
    QDateTime fetchedAt;
    QList<CheckLine> checks;

    bool canLaunch() const;
    const CheckLine *check(CheckLine::Topic topic) const;
    QString toText() const; // for the terminal and the log
};

struct DatasetReport
{
    QString requestedId;
    QString canonicalId;
    QString pinnedSha;
    std::optional<DatasetInfo> info;
    std::optional<HubError> infoError;
    QList<DatasetConfig> configs; // from the viewer when it answered, else from the card
    QString config;               // the config and split chosen for training
    QString split;
    std::optional<qint64> rowCount;
    std::optional<qint64> splitBytes;
    QList<DatasetColumn> columns;
    FormatDetection format;
    QList<QJsonObject> previewRows;
    TokenEstimate tokens;
    bool viewerAvailable = false;
    AnswerOrigin origin = AnswerOrigin::Network;
    QDateTime fetchedAt;
    QList<CheckLine> checks;

    bool canLaunch() const;
    const CheckLine *check(CheckLine::Topic topic) const;
    QString toText() const;
};

} // namespace vibeml::hub

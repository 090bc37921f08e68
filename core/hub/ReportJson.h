#pragma once

#include "hub/ValidationReport.h"

#include <QJsonObject>

// Machine-readable validation reports for `--json` and the MCP server.
namespace vibeml::hub {

QJsonObject toJson(const ModelReport &report);
QJsonObject toJson(const DatasetReport &report);

} // namespace vibeml::hub

#pragma once

#include "cost/PlanEstimator.h"

#include <QCommandLineParser>

#include <optional>

// The plan options `estimate` and `launch-training` share, parsed into a PlanRequest.
namespace vibeml {

void addPlanOptions(QCommandLineParser &parser);
QString planOptionsHelp();
// nullopt with `problem` set when an option is missing or invalid.
std::optional<cost::PlanRequest> planRequestFrom(const QCommandLineParser &parser, QString *problem);

} // namespace vibeml

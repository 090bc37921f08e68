#pragma once

#include "sky/LaunchPlan.h"
#include "sky/TaskSpec.h"

#include <QJsonObject>

namespace vibeml::sky {

// The SkyPilot task for a plan. Its setup and run scripts are fixed text: everything that comes
// from the user (model, dataset, columns, output repo) travels in job.json or as environment
// variables, never inside shell code.
TaskSpec buildTask(const LaunchPlan &plan);

// job.json for train.py (resources/training/README.md, schema 1).
QJsonObject buildJobSpec(const LaunchPlan &plan);

// Disk for weights, data, checkpoints and outputs, with room to spare, in GB (multiple of 64).
int diskSizeGb(const LaunchPlan &plan);

} // namespace vibeml::sky

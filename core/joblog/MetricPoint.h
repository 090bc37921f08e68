#pragma once

#include <QtGlobal>

#include <optional>

namespace vibeml::jobs {

// One point of a job's training curve, from the script's progress and eval lines. The journal
// keeps them per job (one per step and kind); the loss chart draws them.
struct MetricPoint
{
    qint64 step = 0;
    std::optional<double> loss;
    std::optional<double> learningRate;
    std::optional<double> evalLoss;
    double time = 0; // Unix seconds, as the script reported it
};

} // namespace vibeml::jobs

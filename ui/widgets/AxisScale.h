#pragma once

#include <cmath>

namespace vibeml {

// A round number at or above `value` (1, 2, 2.5 or 5 times a power of ten) for the end of a
// chart's axis, so the axis keeps still while the data grows into it.
inline double niceCeiling(double value)
{
    if (!(value > 0))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (step * magnitude >= value)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace vibeml

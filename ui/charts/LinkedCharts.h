#pragma once

#include "charts/ChartViews.h"

namespace vibeml::charts {

// The charts themselves (CostChart, LossChart), for the charts module and for programs that link
// them in: tests and benchmarks call charts::useLinked(&linkedCharts()).
const ChartFactory &linkedCharts();

} // namespace vibeml::charts

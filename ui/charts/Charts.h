#pragma once

#include "charts/ChartViews.h"

namespace vibeml::charts {

// The charts the pages show. The first call loads the charts module (once per process); a
// program that links the charts in (tests, benchmarks) hands them over with useLinked() instead.
// When the module cannot be loaded (a broken install), the chart is a notice that says so and
// what to do; the rest of the window works as before.
CostChartView *createCostChart(QWidget *parent);
LossChartView *createLossChart(QWidget *parent);

// Why the charts module could not be loaded; empty while it is loaded or not yet asked for.
QString problem();

// Charts linked into the program; they are used from then on instead of the module.
void useLinked(const ChartFactory *factory);

} // namespace vibeml::charts

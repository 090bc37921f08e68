#pragma once

#include <QString>

#include <vector>

// What every benchmark shares: statistics, memory readings, and the one-line result format
// bench/run.sh turns into its table.
namespace vibeml::bench {

// How many times each measurement is repeated (VIBEML_BENCH_RUNS, default and minimum 5 for the
// recorded table; fewer only for a quick look).
int runs();

double median(std::vector<double> values);
double percentile(std::vector<double> values, double fraction); // nearest rank, fraction in 0..1

// Resident set size of this process / another one, in bytes (from /proc); -1 if unknown.
qint64 residentBytes();
qint64 residentBytes(qint64 pid);

// One row of bench/run.sh's table, on stdout:
//   RESULT <tab> figure <tab> measured <tab> target <tab> PASS|FAIL|INFO
// Everything else a benchmark prints is commentary (stderr).
void reportResult(const QString &figure, const QString &measured, const QString &target, bool met);
void reportInfo(const QString &figure, const QString &measured, const QString &note);
void note(const QString &text); // commentary, on stderr

QString megabytes(double bytes, int decimals = 1); // "12.3 MB" (10^6 bytes)

} // namespace vibeml::bench

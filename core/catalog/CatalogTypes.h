#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vibeml::catalog {

// One GPU instance type in one region of one cloud, as a SkyPilot catalog lists it.
struct InstanceOffer
{
    QString cloud;        // "nebius", "lambda" (lower case, as SkyPilot names clouds)
    QString instanceType; // "gpu-h100-sxm_8gpu-128vcpu-1600gb"
    QString region;       // "eu-north1"
    QString accelerator;  // "H100"
    int acceleratorCount = 0;
    double vcpus = 0;
    double hostMemoryGiB = 0;
    double gpuMemoryGiB = 0;  // per GPU: GpuInfo's SizeInMiB, else the GPU spec table
    double pricePerHour = 0;  // on-demand, US dollars, whole instance
    std::optional<double> spotPricePerHour; // absent: the cloud offers no spot for it
};

// The result of reading one catalog file. Malformed rows are skipped and counted, never fatal.
struct CatalogParse
{
    QList<InstanceOffer> offers; // GPU rows only
    int cpuRows = 0;             // rows without accelerators (not offers, not errors)
    int skippedRows = 0;         // malformed rows
    QStringList problems;        // the first few, "line 12: Price \"abc\" is not a number"
};

// Where one cloud's offers came from, for the UI's "catalog of <date>" label.
struct CatalogSource
{
    QString cloud;
    QString path;          // file read (a :/ resource for bundled snapshots)
    bool userCopy = false; // ~/.sky/catalogs/v8/<cloud>/vms.csv
    QDateTime asOf;        // snapshot date, or the user copy's modification time
    bool launchable = false; // VibeML launches on this cloud (Nebius); others are "compare only"
    int offers = 0;
    int skippedRows = 0;
    QString note;          // e.g. why the user copy was not used

    // "Nebius: bundled snapshot of 2026-11-28 (3 days old)" / "Lambda: ~/.sky/… (updated 2 h ago)"
    QString describe(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
};

} // namespace vibeml::catalog

#pragma once

#include "catalog/CatalogTypes.h"

#include <QByteArray>

namespace vibeml::catalog {

// Reads a SkyPilot catalog CSV (schema v8: InstanceType, AcceleratorName, AcceleratorCount, vCPUs,
// MemoryGiB, Price, Region, GpuInfo, SpotPrice — columns found by header name, so other orders
// work too), CRLF or LF, quoted fields, Python-dict GpuInfo. Never fails as a whole.
CatalogParse parseCatalogCsv(const QByteArray &csv, const QString &cloud);

// All clouds' offers: the bundled snapshots, each replaced by the user's own SkyPilot copy when
// that copy is newer and readable.
class Catalog
{
public:
    static Catalog load(const QString &skyCatalogDir = defaultSkyCatalogDir(),
                        const QString &bundledDir = QStringLiteral(":/vibeml/catalogs"));
    static QString defaultSkyCatalogDir(); // $HOME/.sky/catalogs/v8

    const QList<InstanceOffer> &offers() const { return m_offers; }
    QList<InstanceOffer> offers(const QString &cloud) const;
    const QList<CatalogSource> &sources() const { return m_sources; }
    std::optional<CatalogSource> source(const QString &cloud) const;
    QStringList clouds() const;
    bool isLaunchable(const QString &cloud) const;

    // SkyPilot reports more clouds enabled (`sky check`): their offers stop being compare-only.
    void setEnabledClouds(const QStringList &clouds);

private:
    QList<InstanceOffer> m_offers;
    QList<CatalogSource> m_sources;
    QStringList m_launchClouds; // catalogs.json "launch": launchable whatever `sky check` says
};

// Inter-node fabric of a multi-node cluster built from this offer: Nebius gives InfiniBand only
// to 8-GPU H100/H200/B200 nodes (network_tier: best); everything else talks over Ethernet.
bool hasInfiniBand(const InstanceOffer &offer);

} // namespace vibeml::catalog

#pragma once

#include <QSortFilterProxyModel>

namespace vibeml {

// The GPU panel's filters over GpuOffersModel: only offers that fit, on-demand or spot, one GPU
// type, one region, with or without other clouds' compare-only offers. Sorts by the model's
// numeric SortRole, so "$9.80" sorts before "$10.20".
class GpuOffersFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    enum class Pricing { Any, OnDemand, Spot };

    explicit GpuOffersFilter(QObject *parent = nullptr);

    void setFitsOnly(bool fitsOnly);
    void setPricing(Pricing pricing);
    void setAccelerator(const QString &accelerator); // empty: every GPU
    void setRegion(const QString &region);           // empty: every region
    void setIncludeCompareOnly(bool include);

    bool fitsOnly() const { return m_fitsOnly; }
    Pricing pricing() const { return m_pricing; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    template<typename T>
    void change(T &member, const T &value);

    bool m_fitsOnly = true;
    Pricing m_pricing = Pricing::Any;
    QString m_accelerator;
    QString m_region;
    bool m_includeCompareOnly = false;
};

} // namespace vibeml

#include "plan/GpuOffersFilter.h"

#include "plan/GpuOffersModel.h"

namespace vibeml {

GpuOffersFilter::GpuOffersFilter(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(GpuOffersModel::SortRole);
    setDynamicSortFilter(true);
}

template<typename T>
void GpuOffersFilter::change(T &member, const T &value)
{
    if (member == value)
        return;
    member = value;
    invalidateRowsFilter();
}

void GpuOffersFilter::setFitsOnly(bool fitsOnly)
{
    change(m_fitsOnly, fitsOnly);
}

void GpuOffersFilter::setPricing(Pricing pricing)
{
    change(m_pricing, pricing);
}

void GpuOffersFilter::setAccelerator(const QString &accelerator)
{
    change(m_accelerator, accelerator);
}

void GpuOffersFilter::setRegion(const QString &region)
{
    change(m_region, region);
}

void GpuOffersFilter::setIncludeCompareOnly(bool include)
{
    change(m_includeCompareOnly, include);
}

bool GpuOffersFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_fitsOnly && !index.data(GpuOffersModel::FitsRole).toBool())
        return false;
    if (!m_includeCompareOnly && !index.data(GpuOffersModel::LaunchableRole).toBool())
        return false;
    const bool spot = index.data(GpuOffersModel::SpotRole).toBool();
    if ((m_pricing == Pricing::OnDemand && spot) || (m_pricing == Pricing::Spot && !spot))
        return false;
    if (!m_accelerator.isEmpty() && index.data(GpuOffersModel::AcceleratorRole).toString() != m_accelerator)
        return false;
    if (!m_region.isEmpty() && index.data(GpuOffersModel::RegionRole).toString() != m_region)
        return false;
    return true;
}

} // namespace vibeml

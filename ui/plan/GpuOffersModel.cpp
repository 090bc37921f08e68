#include "plan/GpuOffersModel.h"

#include "plan/PlanStyle.h"

#include <algorithm>

#include <QFont>
#include <QHash>
#include <QGuiApplication>
#include <QPalette>

namespace vibeml {

GpuOffersModel::GpuOffersModel(QObject *parent) : QAbstractTableModel(parent) {}

void GpuOffersModel::setEstimate(const cost::PlanEstimate &estimate)
{
    // The same offers re-priced (a settings change) keep their rows, even when the order by cost
    // changes, so views keep their selection, sort and scroll position.
    QHash<QString, int> newRows;
    for (qsizetype i = 0; i < estimate.table.offers.size(); ++i)
        newRows.insert(estimate.table.offers.at(i).key(), static_cast<int>(i));
    QStringList oldKeys;
    for (const cost::OfferEstimate &offer : std::as_const(m_offers))
        oldKeys.append(offer.key());
    const bool sameOffers = !m_offers.isEmpty() && newRows.size() == oldKeys.size()
                            && std::all_of(oldKeys.cbegin(), oldKeys.cend(), [&newRows](const QString &key) { return newRows.contains(key); });
    if (!sameOffers) {
        beginResetModel();
        m_offers = estimate.table.offers;
        m_budget = estimate.budget;
        endResetModel();
        return;
    }
    bool sameOrder = true;
    for (qsizetype i = 0; sameOrder && i < oldKeys.size(); ++i)
        sameOrder = newRows.value(oldKeys.at(i)) == i;
    if (!sameOrder)
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    m_offers = estimate.table.offers;
    m_budget = estimate.budget;
    if (!sameOrder) {
        QModelIndexList after;
        for (const QModelIndex &index : before)
            after.append(this->index(newRows.value(oldKeys.at(index.row())), index.column()));
        changePersistentIndexList(before, after);
        Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void GpuOffersModel::clear()
{
    beginResetModel();
    m_offers.clear();
    m_budget.clear();
    endResetModel();
}

const cost::OfferEstimate *GpuOffersModel::offer(qsizetype index) const
{
    return index >= 0 && index < m_offers.size() ? &m_offers.at(index) : nullptr;
}

const cost::BudgetDecision *GpuOffersModel::budget(qsizetype index) const
{
    return index >= 0 && index < m_budget.size() ? &m_budget.at(index) : nullptr;
}

qsizetype GpuOffersModel::indexOfKey(const QString &key) const
{
    for (qsizetype i = 0; i < m_offers.size(); ++i) {
        if (m_offers.at(i).key() == key)
            return i;
    }
    return -1;
}

QStringList GpuOffersModel::accelerators() const
{
    QStringList names;
    for (const cost::OfferEstimate &offer : m_offers) {
        if (!names.contains(offer.instance.accelerator))
            names.append(offer.instance.accelerator);
    }
    return names;
}

QStringList GpuOffersModel::regions() const
{
    QStringList names;
    for (const cost::OfferEstimate &offer : m_offers) {
        const QString where = offer.instance.region;
        if (!names.contains(where))
            names.append(where);
    }
    names.sort();
    return names;
}

int GpuOffersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_offers.size());
}

int GpuOffersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString GpuOffersModel::marksText(const cost::OfferEstimate &offer)
{
    QStringList marks;
    if (offer.cheapest)
        marks << tr("cheapest");
    if (offer.fastest)
        marks << tr("fastest");
    if (offer.paretoOptimal && !offer.cheapest && !offer.fastest)
        marks << tr("good trade-off");
    return marks.join(QStringLiteral(", "));
}

QString GpuOffersModel::rangeText(const cost::Range &range, QString (*format)(double))
{
    return QStringLiteral("%1 (%2–%3)").arg(format(range.expected), format(range.low), format(range.high));
}

QVariant GpuOffersModel::display(const cost::OfferEstimate &offer, const cost::BudgetDecision &budget, int column) const
{
    switch (column) {
    case MarksColumn:
        return marksText(offer);
    case GpuColumn:
        return offer.gpuLabel();
    case WhereColumn:
        return offer.launchable ? offer.instance.cloud + QLatin1Char('/') + offer.instance.region
                                : tr("%1/%2 (compare only)").arg(offer.instance.cloud, offer.instance.region);
    case PricingColumn:
        return offer.spot ? tr("spot") : tr("on-demand");
    case FitColumn:
        return tr("%1, %2 / %3 GB")
            .arg(cost::fitName(offer.fit.fit))
            .arg(offer.fit.neededBytes / 1e9, 0, 'f', 1)
            .arg(offer.fit.availableBytes / 1e9, 0, 'f', 0);
    case TimeColumn:
        return rangeText(offer.time.totalHours, &cost::formatHours);
    case HourlyColumn:
        return cost::formatDollars(offer.pricePerHour);
    case TotalColumn:
        return rangeText(offer.costUsd, &cost::formatDollars);
    case BudgetColumn:
        return cost::verdictName(budget.verdict);
    default:
        return {};
    }
}

QVariant GpuOffersModel::sortValue(const cost::OfferEstimate &offer, const cost::BudgetDecision &budget, int column) const
{
    switch (column) {
    case MarksColumn:
        return (offer.cheapest ? 4 : 0) + (offer.fastest ? 2 : 0) + (offer.paretoOptimal ? 1 : 0);
    case GpuColumn:
        return offer.gpuLabel();
    case FitColumn:
        return offer.fit.fraction();
    case TimeColumn:
        return offer.time.totalHours.expected;
    case HourlyColumn:
        return offer.pricePerHour;
    case TotalColumn:
        return offer.costUsd.expected;
    case BudgetColumn:
        return static_cast<int>(budget.verdict);
    default:
        return display(offer, budget, column);
    }
}

QVariant GpuOffersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const cost::OfferEstimate &offer = m_offers.at(index.row());
    static const cost::BudgetDecision noDecision;
    const cost::BudgetDecision &budget = index.row() < m_budget.size() ? m_budget.at(index.row()) : noDecision;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return display(offer, budget, index.column());
    case SortRole:
        return sortValue(offer, budget, index.column());
    case OfferIndexRole:
        return index.row();
    case KeyRole:
        return offer.key();
    case FitsRole:
        return offer.fitsInMemory();
    case SpotRole:
        return offer.spot;
    case LaunchableRole:
        return offer.launchable;
    case AcceleratorRole:
        return offer.instance.accelerator;
    case RegionRole:
        return offer.instance.region;
    case CheapestRole:
        return offer.cheapest;
    case FastestRole:
        return offer.fastest;
    case ParetoRole:
        return offer.paretoOptimal;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case FitColumn:
            return tr("%1 (%2)").arg(offer.fit.text(), cost::parallelismName(offer.memory.parallelism));
        case TimeColumn:
            return offer.time.notes.join(QLatin1Char('\n'));
        case BudgetColumn:
            return budget.summary();
        case WhereColumn:
            return offer.instance.instanceType;
        default:
            return offer.notes.join(QLatin1Char('\n'));
        }
    case Qt::TextAlignmentRole:
        if (index.column() == HourlyColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (index.column() == MarksColumn && (offer.cheapest || offer.fastest)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole: {
        const QPalette palette = QGuiApplication::palette();
        if (!offer.fitsInMemory() || !offer.launchable)
            return planstyle::color(planstyle::Tone::Muted, palette);
        if (index.column() == FitColumn && offer.fit.fit == cost::Fit::Tight)
            return planstyle::color(planstyle::Tone::Caution, palette);
        if (index.column() == BudgetColumn && budget.verdict == cost::BudgetVerdict::Refused)
            return planstyle::color(planstyle::Tone::Problem, palette);
        if (index.column() == BudgetColumn && budget.verdict != cost::BudgetVerdict::Ok)
            return planstyle::color(planstyle::Tone::Caution, palette);
        if (index.column() == MarksColumn && (offer.cheapest || offer.fastest))
            return planstyle::color(planstyle::Tone::Good, palette);
        return {};
    }
    default:
        return {};
    }
}

QVariant GpuOffersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MarksColumn:
        return tr("Best");
    case GpuColumn:
        return tr("GPU");
    case WhereColumn:
        return tr("Where");
    case PricingColumn:
        return tr("Pricing");
    case FitColumn:
        return tr("Memory per GPU");
    case TimeColumn:
        return tr("Time");
    case HourlyColumn:
        return tr("$/h");
    case TotalColumn:
        return tr("Total cost");
    case BudgetColumn:
        return tr("Budget");
    default:
        return {};
    }
}

} // namespace vibeml

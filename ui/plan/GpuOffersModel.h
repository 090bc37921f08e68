#pragma once

#include "cost/PlanEstimator.h"

#include <QAbstractTableModel>

namespace vibeml {

// Every offer of an estimate's cost table: GPU × count × nodes, where, on-demand or spot, the
// memory fit, the time and cost ranges and the budget verdict; the cheapest and fastest marked,
// other clouds' offers labelled "compare only". Re-pricing the same offers (a settings change)
// updates the rows in place, so the view keeps its selection and sort.
class GpuOffersModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        MarksColumn,
        GpuColumn,
        WhereColumn,
        PricingColumn,
        FitColumn,
        TimeColumn,
        HourlyColumn,
        TotalColumn,
        BudgetColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,
        OfferIndexRole,
        KeyRole,
        FitsRole,
        SpotRole,
        LaunchableRole,
        AcceleratorRole,
        RegionRole,
        CheapestRole,
        FastestRole,
        ParetoRole,
    };

    explicit GpuOffersModel(QObject *parent = nullptr);

    void setEstimate(const cost::PlanEstimate &estimate);
    void clear();
    const QList<cost::OfferEstimate> &offers() const { return m_offers; }
    const cost::OfferEstimate *offer(qsizetype index) const;
    const cost::BudgetDecision *budget(qsizetype index) const;
    qsizetype indexOfKey(const QString &key) const;
    QStringList accelerators() const; // distinct, in table order
    QStringList regions() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString marksText(const cost::OfferEstimate &offer);
    static QString rangeText(const cost::Range &range, QString (*format)(double));

private:
    QVariant display(const cost::OfferEstimate &offer, const cost::BudgetDecision &budget, int column) const;
    QVariant sortValue(const cost::OfferEstimate &offer, const cost::BudgetDecision &budget, int column) const;

    QList<cost::OfferEstimate> m_offers;
    QList<cost::BudgetDecision> m_budget;
};

} // namespace vibeml

#pragma once

#include "cost/PlanEstimator.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;

namespace vibeml {

class GpuOffersFilter;
class GpuOffersModel;

// Step four, top half: every GPU offer of the estimate as a sortable, filterable table. The row
// the user selects is the chosen offer; a new estimate keeps that choice when the offer is still
// there, else takes the preselected one (core's preferredOffer).
class GpuPanel : public QWidget
{
    Q_OBJECT

public:
    explicit GpuPanel(QWidget *parent = nullptr);

    void setEstimate(const cost::PlanEstimate &estimate, qsizetype preferred);
    void clear(const QString &reason);
    qsizetype chosenOffer() const;
    void chooseOffer(qsizetype index);

    GpuOffersModel *model() const { return m_model; }
    GpuOffersFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    QCheckBox *fitsOnlyBox() const { return m_fitsOnly; }
    QCheckBox *compareOnlyBox() const { return m_compareOnly; }
    QComboBox *pricingBox() const { return m_pricing; }
    QComboBox *gpuBox() const { return m_gpu; }
    QComboBox *regionBox() const { return m_region; }
    QLabel *summaryLabel() const { return m_summary; }

Q_SIGNALS:
    void offerChosen(qsizetype index); // into the estimate's table.offers; -1: none

private:
    void fillChoices(QComboBox *box, const QStringList &values, const QString &everything);
    void selectKey(const QString &key);
    void onCurrentChanged();
    void updateSummary();

    GpuOffersModel *m_model;
    GpuOffersFilter *m_filter;
    QTableView *m_view;
    QCheckBox *m_fitsOnly;
    QCheckBox *m_compareOnly;
    QComboBox *m_pricing;
    QComboBox *m_gpu;
    QComboBox *m_region;
    QLabel *m_summary;
    QString m_chosenKey;
    bool m_updating = false;
};

} // namespace vibeml

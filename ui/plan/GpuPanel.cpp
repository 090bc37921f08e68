#include "plan/GpuPanel.h"

#include "plan/GpuOffersFilter.h"
#include "plan/GpuOffersModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace vibeml {

GpuPanel::GpuPanel(QWidget *parent)
    : QWidget(parent), m_model(new GpuOffersModel(this)), m_filter(new GpuOffersFilter(this)), m_view(new QTableView(this)),
      m_fitsOnly(new QCheckBox(tr("Fits &only"), this)), m_compareOnly(new QCheckBox(tr("Other &clouds"), this)),
      m_pricing(new QComboBox(this)), m_gpu(new QComboBox(this)), m_region(new QComboBox(this)), m_summary(new QLabel(this))
{
    setAccessibleName(tr("GPU offers"));
    m_filter->setSourceModel(m_model);
    m_view->setModel(m_filter);
    m_view->setAccessibleName(tr("GPU offers"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(GpuOffersModel::TotalColumn, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(GpuOffersModel::WhereColumn, QHeaderView::Stretch);

    m_fitsOnly->setChecked(true);
    m_fitsOnly->setAccessibleName(tr("Show only offers that fit in GPU memory"));
    m_compareOnly->setAccessibleName(tr("Show other clouds' offers to compare prices"));
    m_compareOnly->setToolTip(tr("Offers of clouds VibeML does not launch on, to compare prices only."));
    m_pricing->addItem(tr("On-demand and spot"), static_cast<int>(GpuOffersFilter::Pricing::Any));
    m_pricing->addItem(tr("On-demand only"), static_cast<int>(GpuOffersFilter::Pricing::OnDemand));
    m_pricing->addItem(tr("Spot only"), static_cast<int>(GpuOffersFilter::Pricing::Spot));
    m_pricing->setAccessibleName(tr("Pricing"));
    m_gpu->setAccessibleName(tr("GPU type"));
    m_region->setAccessibleName(tr("Region"));
    fillChoices(m_gpu, {}, tr("Every GPU"));
    fillChoices(m_region, {}, tr("Every region"));
    m_summary->setWordWrap(true);
    m_summary->setAccessibleName(tr("Offer summary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_fitsOnly);
    filters->addWidget(m_pricing);
    auto *gpuLabel = new QLabel(tr("&GPU:"), this);
    gpuLabel->setBuddy(m_gpu);
    filters->addWidget(gpuLabel);
    filters->addWidget(m_gpu);
    auto *regionLabel = new QLabel(tr("&Region:"), this);
    regionLabel->setBuddy(m_region);
    filters->addWidget(regionLabel);
    filters->addWidget(m_region);
    filters->addWidget(m_compareOnly);
    filters->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
    setFocusProxy(m_view);

    connect(m_fitsOnly, &QCheckBox::toggled, m_filter, &GpuOffersFilter::setFitsOnly);
    connect(m_compareOnly, &QCheckBox::toggled, m_filter, &GpuOffersFilter::setIncludeCompareOnly);
    connect(m_pricing, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setPricing(static_cast<GpuOffersFilter::Pricing>(m_pricing->currentData().toInt()));
    });
    connect(m_gpu, &QComboBox::currentIndexChanged, this, [this] { m_filter->setAccelerator(m_gpu->currentData().toString()); });
    connect(m_region, &QComboBox::currentIndexChanged, this, [this] { m_filter->setRegion(m_region->currentData().toString()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &GpuPanel::onCurrentChanged);
    // Filtering can hide the chosen row; show it again when it comes back.
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, [this] { selectKey(m_chosenKey); });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] { selectKey(m_chosenKey); });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] { selectKey(m_chosenKey); });
}

void GpuPanel::fillChoices(QComboBox *box, const QStringList &values, const QString &everything)
{
    const QString current = box->currentData().toString();
    QStringList existing;
    for (int i = 1; i < box->count(); ++i)
        existing.append(box->itemData(i).toString());
    if (existing == values && box->count() > 0)
        return;
    box->clear();
    box->addItem(everything, QString());
    for (const QString &value : values)
        box->addItem(value, value);
    box->setCurrentIndex(std::max(0, box->findData(current)));
}

void GpuPanel::setEstimate(const cost::PlanEstimate &estimate, qsizetype preferred)
{
    m_updating = true;
    m_model->setEstimate(estimate);
    fillChoices(m_gpu, m_model->accelerators(), tr("Every GPU"));
    fillChoices(m_region, m_model->regions(), tr("Every region"));
    if (m_model->indexOfKey(m_chosenKey) < 0) {
        const cost::OfferEstimate *offer = m_model->offer(preferred);
        m_chosenKey = offer ? offer->key() : QString();
    }
    selectKey(m_chosenKey);
    m_updating = false;
    updateSummary();
    Q_EMIT offerChosen(chosenOffer());
}

void GpuPanel::clear(const QString &reason)
{
    m_model->clear();
    m_summary->setText(reason);
    if (!m_chosenKey.isEmpty()) {
        m_chosenKey.clear();
        Q_EMIT offerChosen(-1);
    }
}

qsizetype GpuPanel::chosenOffer() const
{
    return m_model->indexOfKey(m_chosenKey);
}

void GpuPanel::chooseOffer(qsizetype index)
{
    const cost::OfferEstimate *offer = m_model->offer(index);
    m_chosenKey = offer ? offer->key() : QString();
    selectKey(m_chosenKey);
    updateSummary();
    Q_EMIT offerChosen(chosenOffer());
}

void GpuPanel::selectKey(const QString &key)
{
    const qsizetype source = m_model->indexOfKey(key);
    const QModelIndex proxy = source >= 0 ? m_filter->mapFromSource(m_model->index(static_cast<int>(source), 0)) : QModelIndex();
    const bool wasUpdating = m_updating;
    m_updating = true;
    if (proxy.isValid()) {
        m_view->selectionModel()->setCurrentIndex(proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(proxy);
    } else {
        m_view->selectionModel()->clearSelection();
    }
    m_updating = wasUpdating;
}

void GpuPanel::onCurrentChanged()
{
    if (m_updating)
        return;
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const QString key = current.data(GpuOffersModel::KeyRole).toString();
    if (key == m_chosenKey)
        return;
    m_chosenKey = key;
    updateSummary();
    Q_EMIT offerChosen(chosenOffer());
}

void GpuPanel::updateSummary()
{
    int fitting = 0;
    for (const cost::OfferEstimate &offer : m_model->offers())
        fitting += offer.fitsInMemory() && offer.launchable ? 1 : 0;
    const cost::OfferEstimate *chosen = m_model->offer(chosenOffer());
    QString text = tr("%1 of %n offer(s) fit and can be launched.", nullptr, static_cast<int>(m_model->offers().size())).arg(fitting);
    if (chosen)
        text += QLatin1Char(' ')
                + tr("Chosen: %1 %2 in %3, %4 expected.")
                      .arg(chosen->gpuLabel(), chosen->spot ? tr("spot") : tr("on-demand"), chosen->instance.region,
                           cost::formatDollars(chosen->costUsd.expected));
    else if (fitting == 0 && !m_model->offers().isEmpty())
        text += QLatin1Char(' ') + tr("Nothing fits: try QLoRA, a shorter sequence length, or a smaller micro-batch.");
    m_summary->setText(text);
}

} // namespace vibeml

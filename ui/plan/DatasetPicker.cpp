#include "plan/DatasetPicker.h"

#include "hub/ModelSupport.h"
#include "plan/ColumnMappingEditor.h"
#include "plan/HubSearchBox.h"
#include "plan/PlanStyle.h"
#include "plan/RowsPreviewModel.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace vibeml {

DatasetPicker::DatasetPicker(hub::HubClient &client, Settings *settings, const hub::OfflineSnapshot *snapshot, QWidget *parent)
    : QWidget(parent), m_validator(client),
      m_search(new HubSearchBox(client, hub::RepoKind::Dataset, settings, snapshot, this)),
      m_card(new QGroupBox(tr("Chosen dataset"), this)), m_title(planstyle::cardLabel(m_card, tr("Dataset"))),
      m_facts(planstyle::cardLabel(m_card, tr("Dataset facts"))), m_config(new QComboBox(m_card)), m_split(new QComboBox(m_card)),
      m_mapping(new ColumnMappingEditor(m_card)), m_checks(planstyle::cardLabel(m_card, tr("Dataset checks"))),
      m_preview(new RowsPreviewModel(this)), m_previewView(new QTableView(this))
{
    setAccessibleName(tr("Choose a dataset"));
    m_title->setText(tr("No dataset chosen yet. Search for one, or type its id and press Enter."));
    m_config->setAccessibleName(tr("Dataset config"));
    m_split->setAccessibleName(tr("Dataset split"));
    auto *choice = new QFormLayout;
    auto *configLabel = new QLabel(tr("&Config:"), m_card);
    configLabel->setBuddy(m_config);
    auto *splitLabel = new QLabel(tr("&Split:"), m_card);
    splitLabel->setBuddy(m_split);
    choice->addRow(configLabel, m_config);
    choice->addRow(splitLabel, m_split);
    auto *cardLayout = new QVBoxLayout(m_card);
    cardLayout->addWidget(m_title);
    cardLayout->addWidget(m_facts);
    cardLayout->addLayout(choice);
    cardLayout->addWidget(m_mapping);
    cardLayout->addWidget(m_checks);
    cardLayout->addStretch(1);
    m_card->setEnabled(false);

    m_previewView->setModel(m_preview);
    m_previewView->setAccessibleName(tr("First rows of the dataset"));
    m_previewView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_previewView->setWordWrap(false);
    m_previewView->setAlternatingRowColors(true);
    m_previewView->horizontalHeader()->setDefaultSectionSize(m_previewView->fontMetrics().averageCharWidth() * 40);
    m_previewView->horizontalHeader()->setStretchLastSection(true);
    auto *previewBox = new QGroupBox(tr("First rows"), this);
    auto *previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(m_previewView);

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(planstyle::searchBesideCard(m_search, m_card, this));
    vertical->addWidget(previewBox);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);
    vertical->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(vertical);
    setFocusProxy(m_search);

    connect(m_search, &HubSearchBox::chosen, this, &DatasetPicker::choose);
    connect(&m_validator, &hub::DatasetValidator::finished, this, [this](const hub::DatasetReport &report) {
        m_report = report;
        if (report.info)
            m_search->remember(report.canonicalId.isEmpty() ? report.requestedId : report.canonicalId);
        showReport();
        Q_EMIT datasetChosen(report);
    });
    connect(m_config, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        m_request.config = m_config->currentText();
        m_request.split.clear(); // the new config's default split
        m_request.mapping.reset();
        validate();
    });
    connect(m_split, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        m_request.split = m_split->currentText();
        validate();
    });
    connect(m_mapping, &ColumnMappingEditor::mappingEdited, this, [this](const hub::ColumnMapping &mapping) {
        if (!m_mapping->problem().isEmpty())
            return; // explained under the editor; nothing to check until it is usable
        m_request.mapping = mapping;
        validate();
    });
}

void DatasetPicker::choose(const QString &id)
{
    const QString trimmed = id.trimmed();
    if (trimmed.isEmpty())
        return;
    m_request = hub::DatasetRequest{};
    m_request.id = trimmed;
    m_title->setText(QStringLiteral("<b>%1</b>").arg(trimmed.toHtmlEscaped()));
    m_preview->clear();
    m_card->setEnabled(false);
    Q_EMIT validationStarted(trimmed);
    validate();
}

void DatasetPicker::validate()
{
    m_report.reset();
    m_facts->setText(tr("Checking the dataset on the Hub and its viewer…"));
    m_checks->clear();
    m_validator.validate(m_request);
}

void DatasetPicker::fillConfigAndSplit()
{
    m_updating = true;
    m_config->clear();
    m_split->clear();
    const hub::DatasetReport &r = *m_report;
    for (const hub::DatasetConfig &config : r.configs)
        m_config->addItem(config.name);
    if (m_config->findText(r.config) < 0 && !r.config.isEmpty())
        m_config->addItem(r.config);
    m_config->setCurrentIndex(m_config->findText(r.config));
    for (const hub::DatasetConfig &config : r.configs) {
        if (config.name != r.config)
            continue;
        for (const hub::DatasetSplit &split : config.splits)
            m_split->addItem(split.name);
    }
    if (m_split->findText(r.split) < 0 && !r.split.isEmpty())
        m_split->addItem(r.split);
    m_split->setCurrentIndex(m_split->findText(r.split));
    m_updating = false;
}

void DatasetPicker::showReport()
{
    if (!m_report)
        return;
    const hub::DatasetReport &r = *m_report;
    const QPalette &pal = palette();
    planstyle::showCardTitle(m_title, r.canonicalId.isEmpty() ? r.requestedId : r.canonicalId, r.pinnedSha, pal);

    const QLocale locale;
    QStringList facts;
    facts << tr("%n config(s)", nullptr, static_cast<int>(r.configs.size()));
    if (r.rowCount)
        facts << tr("%1 rows in %2 / %3").arg(locale.toString(*r.rowCount), r.config, r.split);
    if (r.splitBytes)
        facts << hub::formatBytes(*r.splitBytes);
    if (r.tokens.totalTokens > 0)
        facts << tr("about %1 tokens").arg(locale.toString(r.tokens.totalTokens));
    facts << tr("format: %1").arg(r.format.mapping.describe());
    facts << (r.viewerAvailable ? tr("dataset viewer") : tr("dataset card only"));
    if (r.info)
        facts << hub::describeOrigin(r.origin, r.fetchedAt);
    planstyle::showFacts(m_facts, facts);

    fillConfigAndSplit();
    m_mapping->setMapping(r.columns, r.format.mapping);
    planstyle::showChecks(m_checks, r.checks, pal);
    m_preview->setRows(r.columns, r.previewRows);
    m_card->setEnabled(r.info.has_value());
}

void DatasetPicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        showReport();
    QWidget::changeEvent(event);
}

} // namespace vibeml

#include "plan/ModelPicker.h"

#include "plan/HubSearchBox.h"
#include "plan/PlanStyle.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace vibeml {
namespace {

QString parameterBasis(hub::ParameterCount::Basis basis)
{
    switch (basis) {
    case hub::ParameterCount::Basis::Safetensors:
        return ModelPicker::tr("from the safetensors index");
    case hub::ParameterCount::Basis::Config:
        return ModelPicker::tr("from config.json");
    case hub::ParameterCount::Basis::Name:
        return ModelPicker::tr("guessed from the name");
    case hub::ParameterCount::Basis::Unknown:
        break;
    }
    return ModelPicker::tr("unknown");
}

} // namespace

ModelPicker::ModelPicker(hub::HubClient &client, Settings *settings, const hub::OfflineSnapshot *snapshot, QWidget *parent)
    : QWidget(parent), m_validator(client), m_search(new HubSearchBox(client, hub::RepoKind::Model, settings, snapshot, this)),
      m_card(new QGroupBox(tr("Chosen model"), this)), m_title(planstyle::cardLabel(m_card, tr("Model"))),
      m_facts(planstyle::cardLabel(m_card, tr("Model facts"))), m_checks(planstyle::cardLabel(m_card, tr("Model checks")))
{
    setAccessibleName(tr("Choose a model"));
    m_title->setText(tr("No model chosen yet. Search for one, or type its id and press Enter."));
    auto *cardLayout = new QVBoxLayout(m_card);
    cardLayout->addWidget(m_title);
    cardLayout->addWidget(m_facts);
    cardLayout->addWidget(m_checks);
    cardLayout->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(planstyle::searchBesideCard(m_search, m_card, this));
    setFocusProxy(m_search);

    connect(m_search, &HubSearchBox::chosen, this, &ModelPicker::choose);
    connect(&m_validator, &hub::ModelValidator::finished, this, [this](const hub::ModelReport &report) {
        m_report = report;
        if (report.info)
            m_search->remember(report.canonicalId.isEmpty() ? report.requestedId : report.canonicalId);
        showReport();
        Q_EMIT modelChosen(report);
    });
}

void ModelPicker::choose(const QString &id)
{
    const QString trimmed = id.trimmed();
    if (trimmed.isEmpty())
        return;
    m_report.reset();
    m_title->setText(QStringLiteral("<b>%1</b>").arg(trimmed.toHtmlEscaped()));
    m_facts->setText(tr("Checking the model on the Hub…"));
    m_checks->clear();
    Q_EMIT validationStarted(trimmed);
    m_validator.validate(trimmed);
}

void ModelPicker::showReport()
{
    if (!m_report)
        return;
    const hub::ModelReport &r = *m_report;
    const QPalette &pal = palette();
    planstyle::showCardTitle(m_title, r.canonicalId.isEmpty() ? r.requestedId : r.canonicalId, r.pinnedSha, pal);

    QStringList facts;
    if (r.parameters.count > 0)
        facts << tr("%1 parameters (%2)").arg(hub::formatParameterCount(r.parameters.count), parameterBasis(r.parameters.basis));
    if (!r.dtype.isEmpty())
        facts << r.dtype;
    if (!r.architecture.family.isEmpty() || (r.info && !r.info->architectures.isEmpty()))
        facts << tr("architecture %1").arg(r.architecture.family.isEmpty() ? r.info->architectures.join(QStringLiteral(", "))
                                                                            : r.architecture.family);
    if (r.downloadBytes)
        facts << tr("%1 to download").arg(hub::formatBytes(*r.downloadBytes));
    if (r.info && !r.info->licenses.isEmpty())
        facts << tr("licence %1").arg(r.info->licenses.join(QStringLiteral(", ")));
    if (r.info)
        facts << hub::describeOrigin(r.origin, r.fetchedAt);
    planstyle::showFacts(m_facts, facts);
    planstyle::showChecks(m_checks, r.checks, pal);
}

void ModelPicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        showReport();
    QWidget::changeEvent(event);
}

} // namespace vibeml

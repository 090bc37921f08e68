#include "plan/ReviewPanel.h"

#include "cost/CostTable.h"
#include "plan/PlanStyle.h"
#include "sky/RunBundle.h"
#include "sky/TaskBuilder.h"
#include "sky/TaskYaml.h"

#include <QCheckBox>
#include <QClipboard>
#include <QEvent>
#include <QFile>
#include <QFontDatabase>
#include <QFrame>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace vibeml {
namespace {

QPlainTextEdit *codeView(const QString &name, QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setAccessibleName(name);
    view->setTextInteractionFlags(Qt::TextSelectableByKeyboard | Qt::TextSelectableByMouse);
    return view;
}

QString trainingScriptText()
{
    QFile file(QStringLiteral(":/vibeml/training/train.py"));
    if (!file.open(QIODevice::ReadOnly))
        return ReviewPanel::tr("# train.py is missing from this build of VibeML.");
    return QString::fromUtf8(file.readAll());
}

// The launch line of the README's shell block ("sky launch …" or "sky jobs launch …").
QString launchCommand(const QString &readme)
{
    const QStringList lines = readme.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("sky launch ")) || line.startsWith(QLatin1String("sky jobs launch ")))
            return line.trimmed();
    }
    return {};
}

// "L40S × 1", "H100 × 8 × 2 nodes"
QString clusterText(const sky::LaunchPlan &plan)
{
    QString text = QStringLiteral("%1 × %2").arg(plan.accelerator).arg(plan.gpusPerNode);
    if (plan.nodes > 1)
        text += ReviewPanel::tr(" × %1 nodes").arg(plan.nodes);
    return text;
}

planstyle::Tone toneOf(sky::PreflightItem::Verdict verdict)
{
    switch (verdict) {
    case sky::PreflightItem::Verdict::Pass:
        return planstyle::Tone::Good;
    case sky::PreflightItem::Verdict::Warn:
        return planstyle::Tone::Caution;
    case sky::PreflightItem::Verdict::Fail:
        return planstyle::Tone::Problem;
    case sky::PreflightItem::Verdict::Skipped:
        break;
    }
    return planstyle::Tone::Muted;
}

QString symbolOf(sky::PreflightItem::Verdict verdict)
{
    switch (verdict) {
    case sky::PreflightItem::Verdict::Pass:
        return QStringLiteral("✓");
    case sky::PreflightItem::Verdict::Warn:
        return QStringLiteral("!");
    case sky::PreflightItem::Verdict::Fail:
        return QStringLiteral("✗");
    case sky::PreflightItem::Verdict::Skipped:
        break;
    }
    return QStringLiteral("–");
}

} // namespace

ReviewPanel::ReviewPanel(EnvironmentProvider environment, QWidget *parent)
    : QWidget(parent), m_environment(std::move(environment)), m_summary(new QLabel(this)), m_files(new QTabWidget(this)),
      m_yaml(codeView(tr("task.yaml"), this)), m_job(codeView(tr("job.json"), this)), m_script(codeView(tr("train.py"), this)),
      m_readme(codeView(tr("Running it by hand"), this)), m_command(new QLineEdit(this)),
      m_copy(new QPushButton(tr("&Copy"), this)), m_preflightText(new QLabel(this)),
      m_recheck(new QPushButton(tr("Check a&gain"), this)), m_budget(new QLabel(this)), m_blockers(planstyle::messageLabel(this)),
      m_approve(new QCheckBox(this)), m_launch(new QPushButton(tr("La&unch"), this)), m_confirmation(new QFrame(this)),
      m_confirmText(new QLabel(m_confirmation)), m_confirm(new QPushButton(tr("C&onfirm launch"), m_confirmation)),
      m_cancel(new QPushButton(tr("Ca&ncel"), m_confirmation)), m_sent(planstyle::messageLabel(this))
{
    setAccessibleName(tr("Review and launch"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_summary->setAccessibleName(tr("Plan summary"));

    m_files->setDocumentMode(true);
    m_files->setAccessibleName(tr("Generated files"));
    m_files->addTab(m_yaml, QStringLiteral("task.yaml"));
    m_files->addTab(m_job, QStringLiteral("job.json"));
    m_files->addTab(m_script, QStringLiteral("train.py"));
    m_files->addTab(m_readme, tr("Running it by hand"));
    m_script->setPlainText(trainingScriptText());

    m_command->setReadOnly(true);
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->setAccessibleName(tr("Equivalent sky command"));
    m_copy->setAccessibleName(tr("Copy the sky command"));
    auto *commandLabel = new QLabel(tr("&sky command (from the run's folder):"), this);
    commandLabel->setBuddy(m_command);
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(commandLabel);
    commandRow->addWidget(m_command, 1);
    commandRow->addWidget(m_copy);

    auto *preflight = new QGroupBox(tr("Preflight checks"), this);
    m_preflightText->setWordWrap(true);
    m_preflightText->setTextFormat(Qt::RichText);
    m_preflightText->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_preflightText->setAccessibleName(tr("Preflight checks"));
    m_recheck->setAccessibleName(tr("Run the preflight checks again"));
    auto *preflightLayout = new QVBoxLayout(preflight);
    preflightLayout->addWidget(m_preflightText);
    preflightLayout->addWidget(m_recheck, 0, Qt::AlignLeft);

    auto *budget = new QGroupBox(tr("Cost and budget"), this);
    m_budget->setWordWrap(true);
    m_budget->setTextFormat(Qt::RichText);
    m_budget->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_budget->setAccessibleName(tr("Worst case against the budget"));
    m_approve->setAccessibleName(tr("Approve this run's cost"));
    m_approve->hide();
    m_blockers->setAccessibleName(tr("Why this plan cannot be launched"));
    m_launch->setAccessibleName(tr("Launch"));
    m_launch->setDefault(false);
    auto *budgetLayout = new QVBoxLayout(budget);
    budgetLayout->addWidget(m_budget);
    budgetLayout->addWidget(m_blockers);
    budgetLayout->addWidget(m_approve);
    budgetLayout->addWidget(m_launch, 0, Qt::AlignLeft);

    m_confirmation->setFrameShape(QFrame::StyledPanel);
    m_confirmation->setAccessibleName(tr("Confirm the launch"));
    m_confirmText->setWordWrap(true);
    m_confirm->setAccessibleName(tr("Confirm launch"));
    m_cancel->setAccessibleName(tr("Cancel launch"));
    auto *confirmLayout = new QVBoxLayout(m_confirmation);
    confirmLayout->addWidget(m_confirmText);
    auto *confirmButtons = new QHBoxLayout;
    confirmButtons->addWidget(m_confirm);
    confirmButtons->addWidget(m_cancel);
    confirmButtons->addStretch(1);
    confirmLayout->addLayout(confirmButtons);
    m_confirmation->hide();
    budgetLayout->addWidget(m_confirmation);
    budgetLayout->addWidget(m_sent);

    auto *side = new QVBoxLayout;
    side->addWidget(budget);
    side->addWidget(preflight);
    side->addStretch(1);
    auto *body = new QHBoxLayout;
    auto *filesColumn = new QVBoxLayout;
    filesColumn->addWidget(m_files, 1);
    filesColumn->addLayout(commandRow);
    body->addLayout(filesColumn, 3);
    body->addLayout(side, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(body, 1);
    setFocusProxy(m_files);

    connect(m_copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_command->text()); });
    connect(m_recheck, &QPushButton::clicked, this, &ReviewPanel::runPreflight);
    connect(m_approve, &QCheckBox::toggled, this, &ReviewPanel::updateLaunchButton);
    connect(m_launch, &QPushButton::clicked, this, &ReviewPanel::askToConfirm);
    connect(m_confirm, &QPushButton::clicked, this, &ReviewPanel::confirm);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_confirmation->hide();
        updateLaunchButton();
        m_launch->setFocus(Qt::OtherFocusReason);
    });
    clear(tr("Choose a model, a dataset, settings and a GPU offer; the launch is reviewed here."));
    if (!m_environment) {
        m_preflightText->setText(tr("SkyPilot is not set up in this window."));
        m_recheck->setEnabled(false);
    }
}

void ReviewPanel::clear(const QString &reason)
{
    m_review.reset();
    m_summary->setText(reason);
    m_yaml->clear();
    m_job->clear();
    m_readme->clear();
    m_command->clear();
    m_budget->clear();
    planstyle::showMessage(m_blockers, QString(), planstyle::Tone::Problem);
    planstyle::showMessage(m_sent, QString(), planstyle::Tone::Good);
    m_confirmation->hide();
    m_approve->hide();
    m_approve->setChecked(false);
    m_launch->setText(tr("La&unch"));
    m_launch->setEnabled(false);
}

void ReviewPanel::setReview(const Review &review)
{
    const bool samePlan = m_review && m_review->plan.jobId == review.plan.jobId
                          && m_review->worstCase.usd == review.worstCase.usd;
    m_review = review;
    const sky::LaunchPlan &plan = review.plan;
    const sky::TaskSpec task = sky::buildTask(plan);
    m_yaml->setPlainText(QString::fromUtf8(sky::toYaml(task)));
    m_job->setPlainText(QString::fromUtf8(QJsonDocument(sky::buildJobSpec(plan)).toJson(QJsonDocument::Indented)));
    const QString readme = sky::bundleReadme(plan, task);
    m_readme->setPlainText(readme);
    m_command->setText(launchCommand(readme));
    m_command->setCursorPosition(0);

    m_summary->setText(tr("<b>%1</b>: %2 of <b>%3</b> on <b>%4</b>, %5 in %6 (%7). Expected %8 (%9–%10), %11.")
                           .arg(plan.jobId.toHtmlEscaped(), cost::methodTitle(plan.settings.method).toHtmlEscaped(),
                                plan.modelId.toHtmlEscaped(), plan.datasetId.toHtmlEscaped(), clusterText(plan).toHtmlEscaped(),
                                plan.region.toHtmlEscaped(),
                                plan.spot ? tr("spot") : tr("on-demand"), cost::formatDollars(plan.costUsd.expected),
                                cost::formatDollars(plan.costUsd.low), cost::formatDollars(plan.costUsd.high),
                                cost::formatHours(plan.hours.expected)));
    showBudget();
    if (!samePlan) {
        m_confirmation->hide();
        m_approve->setChecked(false);
        planstyle::showMessage(m_sent, QString(), planstyle::Tone::Good);
    }
    updateLaunchButton();
    if (!m_preflightReport && !m_preflightRunning)
        runPreflight();
}

void ReviewPanel::showBudget()
{
    if (!m_review)
        return;
    const Review &r = *m_review;
    const QPalette &pal = palette();
    const planstyle::Tone tone = r.decision.verdict == cost::BudgetVerdict::Ok       ? planstyle::Tone::Good
                                 : r.decision.verdict == cost::BudgetVerdict::Refused ? planstyle::Tone::Problem
                                                                                      : planstyle::Tone::Caution;
    QString html = tr("Worst case <b>%1</b> (%2), against a per-run budget of %3.")
                       .arg(cost::formatDollars(r.worstCase.usd), r.worstCase.basis.toHtmlEscaped(),
                            cost::formatDollars(r.limits.perJobUsd));
    html += QStringLiteral("<br>")
            + (r.monthSpentUsd ? tr("Spent this month: %1 of %2.")
                                     .arg(cost::formatDollars(*r.monthSpentUsd), cost::formatDollars(r.limits.monthlyUsd))
                               : tr("This month's spending is unknown (the job journal could not be read)."));
    html += QStringLiteral("<br>") + planstyle::toned(r.decision.summary(), tone, pal);
    m_budget->setText(html);
    m_budget->setAccessibleDescription(r.decision.summary());
    planstyle::showMessage(m_blockers, r.blockers.join(QLatin1Char('\n')), planstyle::Tone::Problem);
    const bool needsApproval = r.decision.verdict == cost::BudgetVerdict::NeedsApproval;
    m_approve->setText(tr("I &approve spending up to %1 on this run").arg(cost::formatDollars(r.worstCase.usd)));
    m_approve->setVisible(needsApproval && r.blockers.isEmpty());
}

void ReviewPanel::updateLaunchButton()
{
    if (!m_review) {
        m_launch->setEnabled(false);
        return;
    }
    const Review &r = *m_review;
    m_launch->setText(tr("La&unch — up to %1").arg(cost::formatDollars(r.worstCase.usd)));
    const bool approved = r.decision.verdict != cost::BudgetVerdict::NeedsApproval || m_approve->isChecked();
    m_launch->setEnabled(r.blockers.isEmpty() && r.decision.allowsLaunch() && approved && !m_confirmation->isVisible());
    m_launch->setToolTip(!r.blockers.isEmpty() ? r.blockers.join(QLatin1Char('\n'))
                         : !approved           ? tr("Tick the approval above: this run is above your approval threshold of %1.")
                                                     .arg(cost::formatDollars(r.limits.approvalThresholdUsd))
                                               : QString());
}

void ReviewPanel::askToConfirm()
{
    if (!m_review || !m_launch->isEnabled())
        return;
    const sky::LaunchPlan &plan = m_review->plan;
    QString text = tr("Launch %1 on %2 in %3 (%4)? It may cost up to %5; the cluster bills until VibeML tears it down.")
                       .arg(plan.jobId, clusterText(plan), plan.region, plan.spot ? tr("spot") : tr("on-demand"),
                            cost::formatDollars(m_review->worstCase.usd));
    if (m_preflightReport && !m_preflightReport->passed())
        text += QLatin1Char(' ') + tr("The preflight checks found problems; the launch will probably fail until they are fixed.");
    m_confirmText->setText(text);
    m_confirmation->setAccessibleDescription(text);
    m_confirmation->show();
    m_launch->setEnabled(false);
    m_confirm->setFocus(Qt::OtherFocusReason);
}

void ReviewPanel::confirm()
{
    if (!m_review || !m_confirmation->isVisible())
        return;
    m_confirmation->hide();
    const sky::LaunchPlan plan = m_review->plan;
    planstyle::showMessage(m_sent, tr("%1 was handed to the launcher; follow it on the Jobs page.").arg(plan.jobId),
                           planstyle::Tone::Good);
    updateLaunchButton();
    Q_EMIT launchRequested(plan);
}

std::optional<sky::LaunchPlan> ReviewPanel::plan() const
{
    return m_review ? std::optional<sky::LaunchPlan>(m_review->plan) : std::nullopt;
}

void ReviewPanel::runPreflight()
{
    if (!m_environment)
        return;
    if (!m_preflight) {
        m_preflight = new sky::Preflight(m_environment(), this);
        connect(m_preflight, &sky::Preflight::finished, this, [this](const sky::PreflightReport &report) {
            m_preflightRunning = false;
            m_preflightReport = report;
            m_recheck->setEnabled(true);
            showPreflight(report);
        });
    }
    m_preflightRunning = true;
    m_recheck->setEnabled(false);
    m_preflightText->setText(tr("Checking SkyPilot, its API server and the Nebius credentials…"));
    m_preflight->run();
}

void ReviewPanel::showPreflight(const sky::PreflightReport &report)
{
    const QPalette &pal = palette();
    QString html = QStringLiteral("<table cellspacing=\"2\" cellpadding=\"1\">");
    for (const sky::PreflightItem &item : report.items) {
        QString text = item.text.toHtmlEscaped();
        if (!item.advice.isEmpty())
            text += QStringLiteral("<br><i>%1</i>").arg(item.advice.toHtmlEscaped());
        html += QStringLiteral("<tr><td><b>%1</b></td><td><b>%2</b></td><td>%3</td></tr>")
                    .arg(planstyle::toned(symbolOf(item.verdict), toneOf(item.verdict), pal), item.title.toHtmlEscaped(), text);
    }
    html += QStringLiteral("</table>");
    m_preflightText->setText(html);
    m_preflightText->setAccessibleDescription(report.toText());
}

void ReviewPanel::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && m_confirmation->isVisible()) {
        m_cancel->click();
        return;
    }
    QWidget::keyPressEvent(event);
}

void ReviewPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        showBudget();
        if (m_preflightReport)
            showPreflight(*m_preflightReport);
    }
    QWidget::changeEvent(event);
}

} // namespace vibeml

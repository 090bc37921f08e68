#include "pages/JobsPage.h"

#include "config/Settings.h"
#include "cost/BudgetPolicy.h"
#include "cost/CostTable.h"
#include "joblog/JobLogPanel.h"
#include "jobs/JobEventsModel.h"
#include "jobs/JobService.h"
#include "jobs/JobsTableModel.h"
#include "plan/PlanStyle.h"
#include "sky/RunBundle.h"
#include "widgets/MessageBanner.h"

#include <QAction>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QCheckBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

#include <functional>
#include <memory>

namespace vibeml {
namespace {

QString launchLogOf(const jobs::JobRecord &job)
{
    return QDir(job.bundleDirectory).filePath(QStringLiteral("logs/launch.log"));
}

QString planFileOf(const jobs::JobRecord &job)
{
    return QDir(job.bundleDirectory).filePath(QStringLiteral("plan.json"));
}

// A confirmation that does not block the event loop: `onYes` runs when the person accepts.
// (QMessageBox reports custom buttons by index through finished(), so the button itself is checked.)
QMessageBox *confirm(QWidget *parent, const QString &objectName, const QString &title, const QString &text,
                     const QString &yesText, QMessageBox::Icon icon, std::function<void()> onYes)
{
    auto *box = new QMessageBox(icon, title, text, QMessageBox::NoButton, parent);
    box->setObjectName(objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextFormat(Qt::PlainText);
    QPushButton *yes = box->addButton(yesText, QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("yes"));
    QPushButton *no = box->addButton(QMessageBox::Cancel);
    no->setObjectName(QStringLiteral("no"));
    box->setDefaultButton(no);
    box->setEscapeButton(no);
    box->setWindowModality(Qt::WindowModal);
    QObject::connect(box, &QMessageBox::buttonClicked, parent, [yes, onYes = std::move(onYes)](QAbstractButton *clicked) {
        if (clicked == yes)
            onYes();
    });
    return box;
}

} // namespace

JobsPage::JobsPage(Settings &settings, QWidget *parent)
    : QWidget(parent), m_settings(settings), m_model(new JobsTableModel(this)), m_filter(new JobsFilterModel(this)),
      m_eventsModel(new JobEventsModel(this)), m_banner(new MessageBanner(this))
{
    setAccessibleName(tr("Jobs"));
    m_filter->setSourceModel(m_model);
    createActions();

    m_empty = new QLabel(this);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setAccessibleName(tr("No jobs"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("jobsTable"));
    m_table->setAccessibleName(tr("Jobs"));
    m_table->setAccessibleDescription(tr("Every run in the job journal. Delete archives the selected ended job; "
                                         "the menu key shows what you can do with it."));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(JobsTableModel::Started, Qt::DescendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // The columns fit the first jobs shown; after that they are the person's to resize.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_columnsFitted)
            return;
        m_columnsFitted = true;
        m_table->resizeColumnsToContents();
    });
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setTabKeyNavigation(false);
    m_contextMenu = new QMenu(this);
    m_contextMenu->addActions({m_cancel, m_tearDown, m_keep});
    m_contextMenu->addSeparator();
    m_contextMenu->addActions({m_openFolder, m_download, m_relaunch});
    m_contextMenu->addSeparator();
    m_contextMenu->addAction(m_archive);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_table->indexAt(pos);
        if (index.isValid())
            m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_contextMenu->popup(m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &JobsPage::onSelectionChanged);
    connect(m_model, &JobsTableModel::refreshed, this, &JobsPage::onRefreshed);
    connect(m_model, &JobsTableModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        const int row = m_model->rowOfJob(m_selectedId);
        if (row >= topLeft.row() && row <= bottomRight.row())
            showSelectedJob(false, topLeft.column() == 0); // the once-a-second tick only touches elapsed and cost
    });
    connect(m_model, &JobsTableModel::loadErrorChanged, this, [this](const QString &message) {
        if (!message.isEmpty())
            report(tr("The job list could not be re-read from the journal (it shows what was read last): %1").arg(message), true);
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &JobsPage::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &JobsPage::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &JobsPage::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &JobsPage::updateEmptyState);

    m_orphansBox = new QGroupBox(tr("Orphaned clusters"), this);
    m_orphansBox->setAccessibleName(tr("Orphaned clusters"));
    m_orphansBox->setAccessibleDescription(tr("VibeML clusters that SkyPilot lists but no live job owns. They bill until "
                                              "torn down."));
    m_orphansLayout = new QVBoxLayout(m_orphansBox);
    m_orphansBox->hide();

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(createToolbar());
    topLayout->addWidget(m_empty);
    topLayout->addWidget(m_table, 1);
    topLayout->addWidget(m_orphansBox);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(top);
    splitter->addWidget(createDetails());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    m_banner->hide();

    updateEmptyState();
    updateActions();
}

JobsPage::~JobsPage() = default;

jobs::JobService *JobsPage::service() const
{
    return m_service;
}

void JobsPage::createActions()
{
    const auto make = [this](const QString &text, const QString &tip, const QKeySequence &shortcut, auto slot) {
        auto *action = new QAction(text, this);
        action->setToolTip(tip);
        action->setStatusTip(tip);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setEnabled(false);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_cancel = make(tr("&Cancel job…"), tr("Cancel the selected job; its cluster is then handled by its teardown policy"),
                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X), &JobsPage::cancelSelected);
    m_tearDown = make(tr("&Tear down now…"), tr("Remove the selected job's cluster now and verify it is gone"),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), &JobsPage::tearDownSelected);
    m_keep = make(tr("&Keep cluster…"), tr("Choose what happens to the cluster once the job ends"),
                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K), &JobsPage::keepSelected);
    m_openFolder = make(tr("&Open bundle folder"), tr("Open the run bundle (task.yaml, train.py, logs) in the file manager"),
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), &JobsPage::openBundleFolder);
    m_download = make(tr("Do&wnload outputs"),
                      tr("Copy the ended job's outputs (model, checkpoints) off its cluster, into the plan's download folder "
                         "or one you choose"),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), &JobsPage::downloadOutputs);
    m_relaunch = make(tr("&Relaunch from bundle…"), tr("Launch the bundle's plan again as a new job"),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), &JobsPage::relaunchSelected);
    m_archive = make(tr("&Delete record…"),
                     tr("Hide the ended job from the list. Jobs are never deleted from the journal: the record is archived "
                        "with its history, and the Archived filter still shows it"),
                     QKeySequence(QKeySequence::Delete), &JobsPage::archiveSelected);
}

QWidget *JobsPage::createToolbar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);

    m_show = new QComboBox(bar);
    m_show->setAccessibleName(tr("Show jobs"));
    m_show->addItem(tr("Active"), int(JobsFilterModel::Show::Active));
    m_show->addItem(tr("All"), int(JobsFilterModel::Show::All));
    m_show->addItem(tr("Archived"), int(JobsFilterModel::Show::Archived));
    m_show->setCurrentIndex(1);
    m_show->setToolTip(tr("Active: clusters that may still exist. All: every job not archived. Archived: records you deleted "
                          "from the list."));
    connect(m_show, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setShow(static_cast<JobsFilterModel::Show>(m_show->currentData().toInt()));
        updateEmptyState();
    });
    auto *showLabel = new QLabel(tr("&Show:"), bar);
    showLabel->setBuddy(m_show);

    m_search = new QLineEdit(bar);
    m_search->setAccessibleName(tr("Filter jobs"));
    m_search->setPlaceholderText(tr("Filter by name, model, GPU, state or cluster"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text);
        updateEmptyState();
    });

    layout->addWidget(showLabel);
    layout->addWidget(m_show);
    layout->addWidget(m_search, 1);
    // A tool bar, so that on a narrow window the actions fold into its extension menu.
    auto *actions = new QToolBar(bar);
    actions->setAccessibleName(tr("Job actions"));
    actions->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction *action : {m_cancel, m_tearDown, m_keep, m_openFolder, m_download, m_relaunch, m_archive}) {
        actions->addAction(action);
        if (QWidget *button = actions->widgetForAction(action)) {
            button->setAccessibleName(action->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")));
            button->setFocusPolicy(Qt::TabFocus);
        }
    }
    m_search->setMinimumWidth(m_search->fontMetrics().averageCharWidth() * 12);
    layout->addWidget(actions, 2);
    return bar;
}

QWidget *JobsPage::createDetails()
{
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->setAccessibleName(tr("Selected job"));

    auto *output = new QWidget(m_detailTabs);
    auto *outputLayout = new QVBoxLayout(output);
    outputLayout->setContentsMargins(0, 0, 0, 0);
    m_logChoice = new QComboBox(output);
    m_logChoice->setAccessibleName(tr("Which log"));
    m_logChoice->addItem(tr("Training log"), int(LogChoice::Training));
    m_logChoice->addItem(tr("sky launch output"), int(LogChoice::Launch));
    m_logChoice->setToolTip(tr("The training script's log (followed from the cluster), or what `sky launch` printed while "
                               "the cluster came up"));
    connect(m_logChoice, &QComboBox::activated, this, [this] {
        m_logChoiceManual = true;
        if (const auto job = selectedJob())
            showLog(*job, false);
    });
    auto *logLabel = new QLabel(tr("Sho&w:"), output);
    logLabel->setBuddy(m_logChoice);
    auto *choiceRow = new QHBoxLayout;
    choiceRow->addWidget(logLabel);
    choiceRow->addWidget(m_logChoice);
    choiceRow->addStretch(1);
    m_logPanel = new JobLogPanel(output);
    m_logPanel->setScrollback(m_settings.integer(SettingKey::LogScrollbackLines));
    connect(&m_settings, &Settings::changed, m_logPanel, [this](SettingKey key) {
        if (key == SettingKey::LogScrollbackLines)
            m_logPanel->setScrollback(m_settings.integer(SettingKey::LogScrollbackLines));
    });
    outputLayout->addLayout(choiceRow);
    outputLayout->addWidget(m_logPanel, 1);

    auto *details = new QWidget(m_detailTabs);
    auto *detailsLayout = new QVBoxLayout(details);
    m_details = new QLabel(details);
    m_details->setAccessibleName(tr("Job details"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_events = new QTableView(details);
    m_events->setAccessibleName(tr("Job history"));
    m_events->setModel(m_eventsModel);
    m_events->verticalHeader()->hide();
    m_events->horizontalHeader()->setStretchLastSection(true);
    m_events->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_events->setWordWrap(false);
    m_events->setTabKeyNavigation(false);
    detailsLayout->addWidget(m_details);
    detailsLayout->addWidget(m_events, 1);

    m_detailTabs->addTab(output, tr("&Output"));
    m_detailTabs->addTab(details, tr("Detai&ls and history"));
    return m_detailTabs;
}

void JobsPage::setService(jobs::JobService *service)
{
    if (m_service == service)
        return;
    if (m_service)
        disconnect(m_service, nullptr, this, nullptr);
    m_service = service;
    if (!service) {
        m_model->setMonitor(nullptr);
        m_model->setStore(nullptr);
        rebuildOrphans();
        updateActions();
        return;
    }
    connect(service, &jobs::JobService::actionFinished, this, &JobsPage::onActionFinished);
    connect(service, &jobs::JobService::launchFinished, this, [this](const jobs::LaunchResult &result) {
        onLaunchFinished(result.jobId, result.submitted, result.message);
    });
    connect(&service->monitor(), &jobs::JobMonitor::progressUpdated, this, &JobsPage::onProgress);
    connect(&service->monitor(), &jobs::JobMonitor::orphansChanged, this, &JobsPage::rebuildOrphans);
    connect(service, &QObject::destroyed, this, [this] {
        m_model->setMonitor(nullptr);
        m_model->setStore(nullptr);
    });
    m_model->setStore(&service->store());
    m_model->setMonitor(&service->monitor());
    m_table->resizeColumnsToContents();
    rebuildOrphans();
    updateEmptyState();
    updateActions();
}

void JobsPage::selectJob(const QString &id)
{
    const int sourceRow = m_model->rowOfJob(id);
    if (sourceRow < 0) {
        m_pendingSelection = id;
        return;
    }
    m_pendingSelection.clear();
    const std::optional<jobs::JobRecord> job = m_model->job(id);
    if (job && !JobsFilterModel::shows(m_filter->show(), job->archived, job->state))
        m_show->setCurrentIndex(m_show->findData(int(job->archived ? JobsFilterModel::Show::Archived : JobsFilterModel::Show::All)));
    QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid()) {
        m_search->clear();
        index = m_filter->mapFromSource(m_model->index(sourceRow, 0));
    }
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

std::optional<jobs::JobRecord> JobsPage::selectedJob() const
{
    return m_selectedId.isEmpty() ? std::nullopt : m_model->job(m_selectedId);
}

void JobsPage::onRefreshed()
{
    if (!m_pendingSelection.isEmpty())
        selectJob(m_pendingSelection);
    // A job listed here but removed from the journal (another journal after recovery) leaves the view empty.
    if (!m_selectedId.isEmpty() && m_model->rowOfJob(m_selectedId) < 0)
        onSelectionChanged();
    updateEmptyState();
}

void JobsPage::onSelectionChanged()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QString id = rows.isEmpty() ? QString() : rows.first().data(JobsTableModel::JobIdRole).toString();
    const bool changed = id != m_selectedId;
    m_selectedId = id;
    showSelectedJob(changed);
}

void JobsPage::showSelectedJob(bool jobChanged, bool rowChanged)
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job) {
        m_logPanel->setLogFile(QString());
        m_logPanel->setCost(0, std::nullopt);
        m_details->setText(tr("Select a job to see its log, details and history."));
        m_eventsModel->setEvents({});
        updateActions();
        return;
    }
    showLog(*job, jobChanged);
    const QDateTime now = m_service ? m_service->store().clock().now() : QDateTime::currentDateTimeUtc();
    if (jobChanged)
        m_logPanel->setProgress(job->progress);
    m_logPanel->setCost(job->costAt(now), job->budgetCapUsd);
    m_details->setText(detailsHtml(*job));
    if (m_service && (jobChanged || rowChanged)) {
        m_eventsModel->setEvents(m_service->store().events(job->id));
        if (!jobChanged)
            m_logPanel->setProgress(job->progress);
    }
    updateActions();
}

void JobsPage::showLog(const jobs::JobRecord &job, bool jobChanged)
{
    if (jobChanged)
        m_logChoiceManual = false;
    LogChoice choice = static_cast<LogChoice>(m_logChoice->currentData().toInt());
    if (!m_logChoiceManual) {
        const bool comingUp = job.state == jobs::JobState::Launching || job.state == jobs::JobState::Provisioning;
        const bool noTrainingLog = !QFileInfo::exists(job.logFile()) && QFileInfo::exists(launchLogOf(job));
        choice = comingUp || noTrainingLog ? LogChoice::Launch : LogChoice::Training;
        const int item = m_logChoice->findData(int(choice));
        if (item != m_logChoice->currentIndex())
            m_logChoice->setCurrentIndex(item);
    }
    const QString path = choice == LogChoice::Launch ? launchLogOf(job) : job.logFile();
    if (m_logPanel->logFile() != path)
        m_logPanel->setLogFile(path);
}

QString JobsPage::detailsHtml(const jobs::JobRecord &job) const
{
    const QDateTime now = m_service ? m_service->store().clock().now() : QDateTime::currentDateTimeUtc();
    const auto row = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td style='padding-right:12px'><b>%1</b></td><td>%2</td></tr>").arg(label.toHtmlEscaped(), value);
    };
    QString html = QStringLiteral("<table>");
    html += row(tr("Job"), job.id.toHtmlEscaped());
    html += row(tr("State"), planstyle::toned(job.reason.isEmpty() ? job.stateText() : tr("%1 — %2").arg(job.stateText(), job.reason),
                                              JobsTableModel::stateTone(job), palette()));
    html += row(tr("Model"), tr("%1 @ %2").arg(job.plan.modelId, job.plan.modelRevision.left(12)).toHtmlEscaped());
    html += row(tr("Dataset"), tr("%1 @ %2").arg(job.plan.datasetId, job.plan.datasetRevision.left(12)).toHtmlEscaped());
    html += row(tr("Cluster"), tr("%1 (%2 in %3%4)")
                                   .arg(job.cluster, JobsTableModel::gpuText(job), job.plan.region,
                                        job.managed ? tr(", managed job") : QString())
                                   .toHtmlEscaped());
    html += row(tr("Cost"), tr("%1 so far at %2/h; estimate %3–%4%5")
                                .arg(cost::formatDollars(job.costAt(now)), cost::formatDollars(job.pricePerHour),
                                     cost::formatDollars(job.estimateLowUsd), cost::formatDollars(job.estimateHighUsd),
                                     job.budgetCapUsd ? tr("; stopped at %1").arg(cost::formatDollars(*job.budgetCapUsd)) : QString())
                                .toHtmlEscaped());
    html += row(tr("Elapsed"), JobsTableModel::elapsedText(job, now).toHtmlEscaped());
    html += row(tr("After the job"), jobs::policyLabel(job.policy, job.keepMinutes).toHtmlEscaped());
    if (!job.progress.isEmpty())
        html += row(tr("Progress"), job.progress.summary().toHtmlEscaped());
    if (!job.progress.hubUrl.isEmpty())
        html += row(tr("Result"), QStringLiteral("<a href=\"%1\">%2</a>").arg(job.progress.hubUrl.toHtmlEscaped(), job.progress.hubUrl.toHtmlEscaped()));
    html += row(tr("Bundle"), QStringLiteral("<a href=\"%1\">%2</a>")
                                  .arg(QUrl::fromLocalFile(job.bundleDirectory).toString().toHtmlEscaped(),
                                       QDir::toNativeSeparators(job.bundleDirectory).toHtmlEscaped()));
    if (job.archived)
        html += row(tr("Record"), tr("Archived: hidden from the list, kept in the journal with its history.").toHtmlEscaped());
    html += QStringLiteral("</table>");
    return html;
}

void JobsPage::updateActions()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    const bool live = job && m_service;
    const bool busy = job && m_busy.contains(job->id);
    m_cancel->setEnabled(live && !busy && jobs::isActive(job->state));
    m_tearDown->setEnabled(live && !busy && !jobs::isTerminal(job->state));
    m_keep->setEnabled(live && !jobs::isTerminal(job->state) && job->state != jobs::JobState::TearingDown);
    m_openFolder->setEnabled(job && QFileInfo(job->bundleDirectory).isDir());
    m_download->setEnabled(live && !busy && !job->managed && jobs::isOutcome(job->state)
                           && !m_service->monitor().isDownloading(job->id));
    m_relaunch->setEnabled(live && QFileInfo::exists(planFileOf(*job)));
    m_archive->setEnabled(live && !busy && jobs::isTerminal(job->state) && !job->archived);
}

void JobsPage::updateEmptyState()
{
    if (!m_service) {
        m_empty->setText(tr("<p>Opening the job journal…</p>"));
        m_empty->show();
        return;
    }
    if (m_model->rowCount() == 0) {
        m_empty->setText(tr("<h3>No runs yet</h3>"
                            "<p>Every run you launch appears here with its state, its cost so far and its cluster, even "
                            "after VibeML is closed and opened again — also runs started with <code>vibeml "
                            "launch-training</code>. VibeML tears each cluster down when its run ends, because Nebius "
                            "cannot do that by itself.</p>"));
        m_empty->show();
    } else if (m_filter->rowCount() == 0) {
        m_empty->setText(tr("<p>No job matches the filter. Choose <b>All</b> under Show, or clear the filter text.</p>"));
        m_empty->show();
    } else {
        m_empty->hide();
    }
}

void JobsPage::report(const QString &message, bool problem)
{
    m_banner->showMessage(message, problem ? MessageBanner::Severity::Error : MessageBanner::Severity::Information);
    m_banner->show();
    Q_EMIT statusMessage(message);
}

void JobsPage::markBusy(const QString &id, const QString &what)
{
    m_busy.insert(id);
    Q_EMIT statusMessage(what);
    updateActions();
}

void JobsPage::onActionFinished(const QString &id, bool ok, const QString &message)
{
    m_busy.remove(id);
    report(message.isEmpty() ? (ok ? tr("%1: done.").arg(id) : tr("%1: the action failed.").arg(id)) : message, !ok);
    m_model->scheduleRefresh();
    rebuildOrphans();
    updateActions();
}

void JobsPage::onLaunchFinished(const QString &jobId, bool submitted, const QString &message)
{
    if (submitted)
        Q_EMIT statusMessage(tr("%1 is running on its cluster.").arg(jobId));
    else
        report(tr("%1 did not launch: %2").arg(jobId, message), true);
    m_model->scheduleRefresh();
}

void JobsPage::onProgress(const QString &jobId, const jobs::TrainingProgress &progress)
{
    if (jobId == m_selectedId)
        m_logPanel->setProgress(progress);
}

void JobsPage::cancelSelected()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job || !m_service || !m_cancel->isEnabled())
        return;
    QMessageBox *box = confirm(this, QStringLiteral("confirmCancel"), tr("Cancel job"),
                               tr("Cancel %1? Training stops now. Afterwards its cluster is handled by its policy: %2.")
                                   .arg(job->id, jobs::policyLabel(job->policy, job->keepMinutes)),
                               tr("Cancel &job"), QMessageBox::Warning, [this, id = job->id] {
        if (!m_service)
            return;
        markBusy(id, tr("Cancelling %1…").arg(id));
        m_service->cancel(id);
    });
    box->open();
}

void JobsPage::tearDownSelected()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job || !m_service || !m_tearDown->isEnabled())
        return;
    const QString text = jobs::isActive(job->state)
                             ? tr("Tear down %1's cluster %2 now? The job is still %3: it stops, and everything on the cluster "
                                  "that was not uploaded or downloaded is lost.")
                                   .arg(job->id, job->cluster, jobs::stateLabel(job->state).toLower())
                             : tr("Tear down cluster %1 now? Everything on it that was not uploaded or downloaded is lost.")
                                   .arg(job->cluster);
    auto purge = std::make_shared<QPointer<QCheckBox>>();
    QMessageBox *box = confirm(this, QStringLiteral("confirmTearDown"), tr("Tear down now"), text, tr("&Tear down"),
                               QMessageBox::Warning, [this, id = job->id, purge] {
        if (!m_service)
            return;
        markBusy(id, tr("Tearing down %1…").arg(id));
        m_service->tearDown(id, *purge && (*purge)->isChecked());
    });
    *purge = new QCheckBox(tr("&Purge: remove it from SkyPilot even if the cloud cannot be reached (leftovers may "
                              "keep billing; check the Nebius console)"),
                           box);
    (*purge)->setObjectName(QStringLiteral("purge"));
    (*purge)->setChecked(job->purge);
    box->setCheckBox(*purge);
    box->open();
}

void JobsPage::keepSelected()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job || !m_service || !m_keep->isEnabled())
        return;
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("keepDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keep cluster"));
    dialog->setWindowModality(Qt::WindowModal);
    auto *policy = new QComboBox(dialog);
    policy->setObjectName(QStringLiteral("policy"));
    policy->setAccessibleName(tr("After the job"));
    for (jobs::TeardownPolicy value : {jobs::TeardownPolicy::Down, jobs::TeardownPolicy::KeepMinutes,
                                       jobs::TeardownPolicy::KeepStopped, jobs::TeardownPolicy::KeepUp}) {
        const QString label = value == jobs::TeardownPolicy::Down          ? tr("Tear it down at once")
                              : value == jobs::TeardownPolicy::KeepMinutes ? tr("Keep it up for some minutes, then tear it down")
                              : value == jobs::TeardownPolicy::KeepStopped ? tr("Stop it (disks keep billing)")
                                                                           : tr("Keep it running (autostop still applies)");
        policy->addItem(label, int(value));
    }
    policy->setCurrentIndex(policy->findData(int(job->policy)));
    auto *minutes = new QSpinBox(dialog);
    minutes->setObjectName(QStringLiteral("minutes"));
    minutes->setAccessibleName(tr("Minutes to keep it"));
    minutes->setRange(1, 24 * 60);
    minutes->setSuffix(tr(" min"));
    minutes->setValue(std::max(1, job->keepMinutes));
    const auto sync = [policy, minutes] {
        minutes->setEnabled(static_cast<jobs::TeardownPolicy>(policy->currentData().toInt()) == jobs::TeardownPolicy::KeepMinutes);
    };
    connect(policy, &QComboBox::currentIndexChanged, dialog, sync);
    sync();
    auto *explain = new QLabel(tr("What happens to %1's cluster once the job ends. A kept cluster bills at %2/h until it "
                                  "is torn down.")
                                   .arg(job->id, cost::formatDollars(job->pricePerHour)),
                               dialog);
    explain->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&After the job:"), policy);
    form->addRow(tr("&Minutes:"), minutes);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Apply"));
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(explain);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(dialog, &QDialog::accepted, this, [this, id = job->id, policy, minutes] {
        if (!m_service)
            return;
        const auto chosen = static_cast<jobs::TeardownPolicy>(policy->currentData().toInt());
        const Status kept = m_service->keep(id, chosen, minutes->value());
        report(kept ? tr("%1: %2").arg(id, jobs::policyLabel(chosen, minutes->value())) : kept.message(), !kept);
        m_model->refresh();
    });
    dialog->open();
}

void JobsPage::openBundleFolder()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job)
        return;
    if (!QFileInfo(job->bundleDirectory).isDir()) {
        report(tr("The run bundle of %1 is gone (%2).").arg(job->id, QDir::toNativeSeparators(job->bundleDirectory)), true);
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(job->bundleDirectory)))
        report(tr("No file manager opened %1. The bundle is at %2.").arg(job->id, QDir::toNativeSeparators(job->bundleDirectory)), true);
}

void JobsPage::downloadOutputs()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job || !m_service || !m_download->isEnabled())
        return;
    const auto start = [this, id = job->id](const QString &folder) {
        if (!m_service)
            return;
        markBusy(id, tr("Copying the outputs of %1 to %2…").arg(id, QDir::toNativeSeparators(QDir(folder).filePath(id))));
        m_service->downloadOutputs(id, folder);
    };
    if (!job->plan.downloadDir.isEmpty()) {
        start(job->plan.downloadDir);
        return;
    }
    auto *dialog = new QFileDialog(this, tr("Download the outputs of %1 into").arg(job->id), QDir::homePath());
    dialog->setObjectName(QStringLiteral("downloadFolderDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly, true);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QFileDialog::fileSelected, this, [start](const QString &folder) {
        if (!folder.isEmpty())
            start(QDir(folder).absolutePath());
    });
    dialog->open();
}

void JobsPage::relaunchSelected()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job || !m_service || !m_relaunch->isEnabled())
        return;
    auto read = sky::RunBundle::readPlan(job->bundleDirectory);
    if (!read) {
        report(tr("Cannot relaunch %1: its bundle's plan cannot be read: %2").arg(job->id, read.error()), true);
        return;
    }
    sky::LaunchPlan plan = read.value();
    plan.jobId = sky::newJobId(plan.modelId); // a new job, a new cluster
    plan.createdAt = m_service->store().clock().now();
    const cost::BudgetLimits limits = cost::BudgetLimits::fromSettings(m_settings);
    const jobs::LaunchBudgetCheck check = m_service->checkBudget(plan, limits);
    if (check.decision.verdict == cost::BudgetVerdict::Refused) {
        report(tr("Cannot relaunch %1: the budget refuses it: %2").arg(job->id, check.decision.summary()), true);
        return;
    }
    QString text = tr("Relaunch %1's plan as a new job, %2? %3 on %4 in %5 (%6). It may cost up to %7 (%8); the cluster "
                      "bills until VibeML tears it down.")
                       .arg(job->id, plan.jobId, plan.modelId, JobsTableModel::gpuText(*job), plan.region,
                            plan.spot ? tr("spot") : tr("on-demand"), cost::formatDollars(check.worstCase.usd), check.worstCase.basis);
    if (check.decision.verdict == cost::BudgetVerdict::NeedsApproval)
        text += QLatin1Char(' ') + tr("That is above your approval threshold of %1: relaunching approves it.")
                                       .arg(cost::formatDollars(limits.approvalThresholdUsd));
    QMessageBox *box = confirm(this, QStringLiteral("confirmRelaunch"), tr("Relaunch from bundle"), text,
                               tr("&Relaunch — up to %1").arg(cost::formatDollars(check.worstCase.usd)),
                               QMessageBox::Question, [this, plan] {
        Q_EMIT statusMessage(tr("Relaunching as %1…").arg(plan.jobId));
        Q_EMIT relaunchRequested(plan);
    });
    box->open();
}

void JobsPage::archiveSelected()
{
    const std::optional<jobs::JobRecord> job = selectedJob();
    if (!job || !m_service || !m_archive->isEnabled())
        return;
    QMessageBox *box = confirm(this, QStringLiteral("confirmArchive"), tr("Delete record"),
                               tr("Remove %1 from the list? Jobs are never deleted from the journal: the record is archived "
                                  "with its history and cost, and Show › Archived still lists it. Its run bundle stays on disk.")
                                   .arg(job->id),
                               tr("&Archive record"), QMessageBox::Question, [this, id = job->id] {
        if (!m_service)
            return;
        const Status archived = m_service->archive(id);
        report(archived ? tr("Archived %1; Show › Archived lists it.").arg(id) : tr("Could not archive %1: %2").arg(id, archived.message()),
               !archived);
        m_model->refresh();
    });
    box->open();
}

void JobsPage::tearDownOrphan(const QString &cluster)
{
    if (!m_service || m_busy.contains(cluster))
        return;
    markBusy(cluster, tr("Tearing down orphaned cluster %1…").arg(cluster));
    rebuildOrphans();
    m_service->tearDown(cluster, false);
}

void JobsPage::rebuildOrphans()
{
    while (QLayoutItem *item = m_orphansLayout->takeAt(0)) {
        if (QWidget *widget = item->widget())
            widget->deleteLater();
        if (QLayout *inner = item->layout()) {
            while (QLayoutItem *child = inner->takeAt(0)) {
                if (child->widget())
                    child->widget()->deleteLater();
                delete child;
            }
        }
        delete item;
    }
    const QList<jobs::OrphanCluster> orphans = m_service ? m_service->monitor().orphans() : QList<jobs::OrphanCluster>{};
    m_orphansBox->setVisible(!orphans.isEmpty());
    if (orphans.isEmpty())
        return;
    auto *intro = new QLabel(tr("SkyPilot lists these VibeML clusters, but no live job owns them. They bill until torn down."),
                             m_orphansBox);
    intro->setWordWrap(true);
    m_orphansLayout->addWidget(intro);
    for (const jobs::OrphanCluster &orphan : orphans) {
        const QString name = orphan.cluster.name;
        auto *row = new QHBoxLayout;
        const QString price = orphan.pricePerHour ? tr("about %1/h").arg(cost::formatDollars(*orphan.pricePerHour)) : tr("price unknown");
        const QString owner = orphan.endedJobId.isEmpty() ? tr("unknown to this journal") : tr("its job %1 has ended").arg(orphan.endedJobId);
        auto *label = new QLabel(tr("<b>%1</b> — %2 in %3, %4; %5")
                                     .arg(name.toHtmlEscaped(), orphan.cluster.status.toHtmlEscaped(), orphan.cluster.infra.toHtmlEscaped(),
                                          price.toHtmlEscaped(), owner.toHtmlEscaped()),
                                 m_orphansBox);
        label->setTextFormat(Qt::RichText);
        label->setWordWrap(true);
        label->setToolTip(tr("From a terminal: %1").arg(orphan.teardownCommand()));
        const bool busy = m_busy.contains(name);
        auto *button = new QPushButton(busy ? tr("Tearing down…") : tr("Tear down"), m_orphansBox);
        button->setObjectName(QStringLiteral("tearDownOrphan:") + name);
        button->setAccessibleName(tr("Tear down %1").arg(name));
        button->setEnabled(!busy);
        connect(button, &QPushButton::clicked, this, [this, name] { tearDownOrphan(name); });
        row->addWidget(label, 1);
        row->addWidget(button);
        m_orphansLayout->addLayout(row);
    }
}

} // namespace vibeml

#pragma once

#include "jobs/JobRecord.h"
#include "jobs/TrainingProgress.h"

#include <QPointer>
#include <QSet>
#include <QWidget>

class QAction;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QTabWidget;
class QVBoxLayout;

namespace vibeml {

class JobEventsModel;
class JobLogPanel;
class JobsFilterModel;
class JobsTableModel;
class MessageBanner;
class Settings;
namespace jobs {
class JobService;
}

// Every run in the journal — launched here, from the command line or by the MCP server — with its
// state, time and cost, kept across restarts. The selected job's live log, loss chart, progress and
// cost meter, its details and history; the actions core offers on it (cancel, tear down now, keep
// the cluster, open the bundle, relaunch from the bundle, archive the record), each enabled only
// where it makes sense; and the orphaned clusters the monitor found, each with a one-click teardown.
class JobsPage : public QWidget
{
    Q_OBJECT

public:
    enum class LogChoice { Training, Launch };

    explicit JobsPage(Settings &settings, QWidget *parent = nullptr);
    ~JobsPage() override;

    // The journal is open and the monitor started; until then the page says it is waiting.
    void setService(jobs::JobService *service);
    jobs::JobService *service() const;

    // Selects the job (now, or as soon as its row appears), showing it whatever the filter says.
    void selectJob(const QString &id);
    QString selectedJobId() const { return m_selectedId; }

    // The actions on the selected job; the ones that change something ask first.
    void cancelSelected();
    void tearDownSelected();
    void keepSelected();
    void openBundleFolder();
    // Copies an ended job's outputs off its cluster: into the plan's download folder, or one the
    // person picks when the plan named none.
    void downloadOutputs();
    void relaunchSelected();
    void archiveSelected();
    // Tears an orphaned cluster down at once (its button does this).
    void tearDownOrphan(const QString &cluster);

    JobsTableModel *model() const { return m_model; }
    JobsFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    JobLogPanel *logPanel() const { return m_logPanel; }
    JobEventsModel *eventsModel() const { return m_eventsModel; }
    MessageBanner *banner() const { return m_banner; }
    QGroupBox *orphansBox() const { return m_orphansBox; }
    QComboBox *showFilter() const { return m_show; }
    QComboBox *logChoice() const { return m_logChoice; }
    QLabel *detailsLabel() const { return m_details; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *tearDownAction() const { return m_tearDown; }
    QAction *keepAction() const { return m_keep; }
    QAction *openFolderAction() const { return m_openFolder; }
    QAction *downloadAction() const { return m_download; }
    QAction *relaunchAction() const { return m_relaunch; }
    QAction *archiveAction() const { return m_archive; }

Q_SIGNALS:
    // The person confirmed relaunching a bundle's plan as a new job (its dollar figure included);
    // the window launches it the way it launches a plan from the Plan page.
    void relaunchRequested(const vibeml::sky::LaunchPlan &plan);
    // A short result for the status bar ("Cancelled vibeml-…").
    void statusMessage(const QString &message);

private:
    void createActions();
    QWidget *createToolbar();
    QWidget *createDetails();
    void onRefreshed();
    void onSelectionChanged();
    // `rowChanged`: the journal row changed (not only the clock), so the history is re-read.
    void showSelectedJob(bool jobChanged, bool rowChanged = true);
    void showLog(const jobs::JobRecord &job, bool jobChanged);
    void updateActions();
    void updateEmptyState();
    void rebuildOrphans();
    void onActionFinished(const QString &id, bool ok, const QString &message);
    void onLaunchFinished(const QString &jobId, bool submitted, const QString &message);
    void onProgress(const QString &jobId, const vibeml::jobs::TrainingProgress &progress);
    void report(const QString &message, bool problem);
    void markBusy(const QString &id, const QString &what);
    std::optional<jobs::JobRecord> selectedJob() const;
    QString detailsHtml(const jobs::JobRecord &job) const;

    Settings &m_settings;
    QPointer<jobs::JobService> m_service;
    JobsTableModel *m_model;
    JobsFilterModel *m_filter;
    JobEventsModel *m_eventsModel;
    MessageBanner *m_banner;
    QComboBox *m_show = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_empty = nullptr;
    QTableView *m_table = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    QComboBox *m_logChoice = nullptr;
    JobLogPanel *m_logPanel = nullptr;
    QLabel *m_details = nullptr;
    QTableView *m_events = nullptr;
    QGroupBox *m_orphansBox = nullptr;
    QVBoxLayout *m_orphansLayout = nullptr;
    QMenu *m_contextMenu = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_tearDown = nullptr;
    QAction *m_keep = nullptr;
    QAction *m_openFolder = nullptr;
    QAction *m_download = nullptr;
    QAction *m_relaunch = nullptr;
    QAction *m_archive = nullptr;

    QString m_selectedId;
    QString m_pendingSelection;
    bool m_logChoiceManual = false;
    bool m_columnsFitted = false;
    QSet<QString> m_busy; // job ids and orphan clusters with an action in flight from here
};

} // namespace vibeml

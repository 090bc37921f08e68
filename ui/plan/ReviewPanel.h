#pragma once

#include "cost/BudgetPolicy.h"
#include "sky/LaunchPlan.h"
#include "sky/Preflight.h"

#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace vibeml {

// Step five: everything a launch would do, before it does it. The generated task.yaml, job.json
// and train.py, the `sky` command to run it by hand, the preflight checks (run in the background),
// and the worst case against the budget. Launch carries the dollar figure, asks for an explicit
// approval above the approval threshold, is refused (with the reason) when the budget or a check
// forbids it, and always asks to confirm in a strip inside the panel (no modal dialog) before
// emitting launchRequested().
class ReviewPanel : public QWidget
{
    Q_OBJECT

public:
    using EnvironmentProvider = std::function<sky::SkyEnvironment()>;

    explicit ReviewPanel(EnvironmentProvider environment = {}, QWidget *parent = nullptr);

    struct Review
    {
        sky::LaunchPlan plan;
        cost::BudgetDecision decision;
        cost::WorstCase worstCase;
        cost::BudgetLimits limits;
        std::optional<double> monthSpentUsd;
        QStringList blockers; // why it cannot be launched (core's launchBlockers)
    };
    void setReview(const Review &review);
    void clear(const QString &reason);
    void runPreflight();

    std::optional<sky::LaunchPlan> plan() const;
    QPushButton *launchButton() const { return m_launch; }
    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *cancelButton() const { return m_cancel; }
    QCheckBox *approvalBox() const { return m_approve; }
    QFrame *confirmation() const { return m_confirmation; }
    QPlainTextEdit *taskYaml() const { return m_yaml; }
    QPlainTextEdit *jobJson() const { return m_job; }
    QPlainTextEdit *trainingScript() const { return m_script; }
    QPlainTextEdit *readme() const { return m_readme; }
    QLineEdit *skyCommand() const { return m_command; }
    QLabel *budgetLabel() const { return m_budget; }
    QLabel *blockersLabel() const { return m_blockers; }
    QLabel *preflightLabel() const { return m_preflightText; }
    bool preflightRunning() const { return m_preflightRunning; }

Q_SIGNALS:
    void launchRequested(const vibeml::sky::LaunchPlan &plan);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateLaunchButton();
    void askToConfirm();
    void confirm();
    void showPreflight(const sky::PreflightReport &report);
    void showBudget();

    EnvironmentProvider m_environment;
    std::optional<Review> m_review;
    QLabel *m_summary;
    QTabWidget *m_files;
    QPlainTextEdit *m_yaml;
    QPlainTextEdit *m_job;
    QPlainTextEdit *m_script;
    QPlainTextEdit *m_readme;
    QLineEdit *m_command;
    QPushButton *m_copy;
    QLabel *m_preflightText;
    QPushButton *m_recheck;
    QLabel *m_budget;
    QLabel *m_blockers;
    QCheckBox *m_approve;
    QPushButton *m_launch;
    QFrame *m_confirmation;
    QLabel *m_confirmText;
    QPushButton *m_confirm;
    QPushButton *m_cancel;
    QLabel *m_sent;
    sky::Preflight *m_preflight = nullptr;
    std::optional<sky::PreflightReport> m_preflightReport;
    bool m_preflightRunning = false;
};

} // namespace vibeml

#include "shell/NotificationPolicy.h"

#include "GuiTestMain.h"

using namespace vibeml;
using jobs::JobRecord;
using jobs::JobState;
using jobs::MonitorNotice;
using Kind = jobs::MonitorNotice::Kind;
using Severity = Notification::Severity;

namespace {

const QDateTime kNow(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);

JobRecord endedJob(JobState outcome)
{
    JobRecord job;
    job.id = QStringLiteral("vibeml-qwen-x7k2p9");
    job.cluster = job.id;
    job.plan.modelId = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
    job.state = JobState::TearingDown;
    job.outcome = outcome;
    job.pricePerHour = 10;
    job.billedSeconds = 1800; // half an hour: $5.00
    return job;
}

} // namespace

class TestNotificationPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noticesBecomeNotifications_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<bool>("shown");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("messagePart");

        const auto row = [](const char *name, Kind kind, JobState outcome, bool shown, Severity severity, const char *title,
                            const char *part) {
            QTest::newRow(name) << int(kind) << int(outcome) << shown << int(severity) << QString::fromUtf8(title)
                                << QString::fromUtf8(part);
        };
        row("succeeded", Kind::JobEnded, JobState::Succeeded, true, Severity::Information, "Job succeeded", "It cost $5.00 so far.");
        row("failed", Kind::JobEnded, JobState::Failed, true, Severity::Critical, "Job failed", "Open the Jobs page");
        row("cancelled", Kind::JobEnded, JobState::Cancelled, true, Severity::Information, "Job cancelled", "Qwen/Qwen2.5-0.5B-Instruct");
        row("preempted", Kind::Preempted, JobState::Launching, true, Severity::Warning, "Spot instance preempted", "vibeml-qwen-x7k2p9");
        row("budget warning", Kind::BudgetWarning, JobState::Launching, true, Severity::Warning, "Budget warning", "the reason");
        row("budget cap", Kind::BudgetCap, JobState::Launching, true, Severity::Critical, "Budget cap reached", "tearing its cluster down");
        row("orphan", Kind::OrphanFound, JobState::Launching, true, Severity::Warning, "Orphaned cluster", "the reason");
        row("teardown failed", Kind::TeardownFailed, JobState::Launching, true, Severity::Critical,
            "Teardown failed: the cluster may still bill", "tear it down from the Jobs page");
        row("lost", Kind::JobLost, JobState::Launching, true, Severity::Warning, "Cluster lost", "the reason");
        row("sky problem", Kind::SkyProblem, JobState::Launching, true, Severity::Warning, "SkyPilot is not answering", "the reason");
        row("cluster gone is routine", Kind::ClusterGone, JobState::Succeeded, false, Severity::Information, "", "");
        row("disk problem stays in the app", Kind::DiskProblem, JobState::Launching, false, Severity::Information, "", "");
    }

    void noticesBecomeNotifications()
    {
        QFETCH(int, kind);
        QFETCH(int, outcome);
        QFETCH(bool, shown);
        QFETCH(int, severity);
        QFETCH(QString, title);
        QFETCH(QString, messagePart);

        NotificationPolicy policy;
        const JobRecord job = endedJob(static_cast<JobState>(outcome));
        const MonitorNotice notice{static_cast<Kind>(kind), job.id, QStringLiteral("Monitor title"), QStringLiteral("the reason")};
        const std::optional<Notification> result = policy.present(notice, job, kNow);
        QCOMPARE(result.has_value(), shown);
        if (!shown)
            return;
        QCOMPARE(int(result->severity), severity);
        QCOMPARE(result->title, title);
        QVERIFY2(result->message.contains(messagePart), qPrintable(result->message));
        QCOMPARE(result->jobId, job.id);
    }

    void repeatsWithinTheQuietPeriodAreDropped()
    {
        NotificationPolicy policy(std::chrono::minutes(10));
        const JobRecord job = endedJob(JobState::Failed);
        const MonitorNotice notice{Kind::TeardownFailed, job.id, QStringLiteral("Teardown failed"), QStringLiteral("sky down failed")};
        QVERIFY(policy.present(notice, job, kNow));
        QVERIFY(!policy.present(notice, job, kNow.addSecs(60)));
        // Another job's, or another message, is news.
        MonitorNotice other = notice;
        other.jobId = QStringLiteral("vibeml-other-a1b2c3");
        QVERIFY(policy.present(other, std::nullopt, kNow.addSecs(60)));
        MonitorNotice changed = notice;
        changed.message = QStringLiteral("sky down failed again: quota");
        QVERIFY(policy.present(changed, job, kNow.addSecs(60)));
        // After the quiet period the same one shows again.
        QVERIFY(policy.present(notice, job, kNow.addSecs(11 * 60)));
    }

    void noticesWithoutAJobStillRead()
    {
        NotificationPolicy policy;
        const MonitorNotice notice{Kind::OrphanFound, QString(), QStringLiteral("Orphaned cluster"),
                                   QStringLiteral("sky-1234 is UP and no running VibeML job owns it. Remove it with `sky down sky-1234`.")};
        const std::optional<Notification> result = policy.present(notice, std::nullopt, kNow);
        QVERIFY(result);
        QCOMPARE(result->message, notice.message);
        const MonitorNotice ended{Kind::JobEnded, QStringLiteral("vibeml-gone-a1b2c3"), QStringLiteral("Succeeded"), QStringLiteral("done")};
        const std::optional<Notification> unknownJob = policy.present(ended, std::nullopt, kNow);
        QVERIFY(unknownJob);
        QCOMPARE(unknownJob->title, QStringLiteral("Job ended: Succeeded"));
        QCOMPARE(unknownJob->message, QStringLiteral("vibeml-gone-a1b2c3: done"));
    }
};

VIBEML_TEST_MAIN_GUI(TestNotificationPolicy)
#include "tst_notificationpolicy.moc"

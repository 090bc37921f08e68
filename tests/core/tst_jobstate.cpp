#include "jobs/JobState.h"

#include "TestSupport.h"

#include <QSet>

#include <array>

using namespace vibeml;
using namespace vibeml::jobs;

namespace {

constexpr std::array kAllStates = {
    JobState::Launching, JobState::Provisioning, JobState::SettingUp, JobState::Running,
    JobState::Recovering, JobState::Stopped, JobState::Succeeded, JobState::Failed,
    JobState::Cancelled, JobState::TearingDown, JobState::Done, JobState::Lost,
};

constexpr std::array kAllPolicies = {
    TeardownPolicy::Down, TeardownPolicy::KeepMinutes, TeardownPolicy::KeepStopped, TeardownPolicy::KeepUp,
};

// The lifecycle as a table: row = from, column = to, in kAllStates order
// (La Pr Se Ru Re St Su Fa Ca Te Do Lo). Written out by hand from the diagram in JobState.h, so a
// change to canTransition has to change this table too.
constexpr std::array<const char *, 12> kAllowed = {
    //  LaPrSeRuReStSuFaCaTeDoLo
    "111111111111", // Launching: the launcher may learn anything at once
    "011111111111", // Provisioning
    "001111111111", // SettingUp: active states move freely among themselves
    "001111111111", // Running
    "011111111111", // Recovering: a replacement cluster provisions again
    "011101111111", // Stopped: restarts provision; never "recovering"
    "000001111111", // Succeeded: stop by policy, correct the verdict, tear down
    "000001111111", // Failed
    "000001111111", // Cancelled
    "000000000111", // TearingDown: only forward to gone (or lost)
    "000000000010", // Done: terminal
    "000000000001", // Lost: terminal
};

int indexOf(JobState state)
{
    for (std::size_t i = 0; i < kAllStates.size(); ++i)
        if (kAllStates[i] == state)
            return static_cast<int>(i);
    return -1;
}

} // namespace

class TestJobState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesRoundTrip_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("name");
        QTest::newRow("launching") << int(JobState::Launching) << QStringLiteral("launching");
        QTest::newRow("provisioning") << int(JobState::Provisioning) << QStringLiteral("provisioning");
        QTest::newRow("setting-up") << int(JobState::SettingUp) << QStringLiteral("setting-up");
        QTest::newRow("running") << int(JobState::Running) << QStringLiteral("running");
        QTest::newRow("recovering") << int(JobState::Recovering) << QStringLiteral("recovering");
        QTest::newRow("stopped") << int(JobState::Stopped) << QStringLiteral("stopped");
        QTest::newRow("succeeded") << int(JobState::Succeeded) << QStringLiteral("succeeded");
        QTest::newRow("failed") << int(JobState::Failed) << QStringLiteral("failed");
        QTest::newRow("cancelled") << int(JobState::Cancelled) << QStringLiteral("cancelled");
        QTest::newRow("tearing-down") << int(JobState::TearingDown) << QStringLiteral("tearing-down");
        QTest::newRow("done") << int(JobState::Done) << QStringLiteral("done");
        QTest::newRow("lost") << int(JobState::Lost) << QStringLiteral("lost");
    }

    void namesRoundTrip()
    {
        QFETCH(int, state);
        QFETCH(QString, name);
        const auto jobState = static_cast<JobState>(state);
        // The names are stored in the journal: they must never change.
        QCOMPARE(stateName(jobState), name);
        const std::optional<JobState> parsed = stateFromName(name);
        QVERIFY(parsed.has_value());
        QCOMPARE(int(*parsed), state);
        QVERIFY(!stateLabel(jobState).isEmpty());
    }

    void everyStateHasItsOwnName()
    {
        QSet<QString> names;
        QSet<QString> labels;
        for (JobState state : kAllStates) {
            names.insert(stateName(state));
            labels.insert(stateLabel(state));
        }
        QCOMPARE(names.size(), int(kAllStates.size()));
        QCOMPARE(labels.size(), int(kAllStates.size()));
        QCOMPARE(stateLabel(JobState::SettingUp), QStringLiteral("Setting up"));
    }

    void unknownNamesAreRejected_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("upper case") << QStringLiteral("RUNNING");
        QTest::newRow("label, not name") << QStringLiteral("Setting up");
        QTest::newRow("underscore") << QStringLiteral("setting_up");
        QTest::newRow("trailing space") << QStringLiteral("done ");
        QTest::newRow("prefix") << QStringLiteral("run");
        QTest::newRow("future state") << QStringLiteral("hibernating");
        QTest::newRow("sky word") << QStringLiteral("SUCCEEDED");
    }

    void unknownNamesAreRejected()
    {
        QFETCH(QString, name);
        QVERIFY(!stateFromName(name).has_value());
    }

    void classification_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<bool>("terminal");
        QTest::addColumn<bool>("outcome");
        QTest::addColumn<bool>("active");
        QTest::addColumn<bool>("bills");
        //                                                     terminal outcome active bills
        QTest::newRow("launching") << int(JobState::Launching) << false << false << true << true;
        QTest::newRow("provisioning") << int(JobState::Provisioning) << false << false << true << true;
        QTest::newRow("setting-up") << int(JobState::SettingUp) << false << false << true << true;
        QTest::newRow("running") << int(JobState::Running) << false << false << true << true;
        QTest::newRow("recovering") << int(JobState::Recovering) << false << false << true << true;
        QTest::newRow("stopped") << int(JobState::Stopped) << false << false << false << false;
        QTest::newRow("succeeded") << int(JobState::Succeeded) << false << true << false << true;
        QTest::newRow("failed") << int(JobState::Failed) << false << true << false << true;
        QTest::newRow("cancelled") << int(JobState::Cancelled) << false << true << false << true;
        QTest::newRow("tearing-down") << int(JobState::TearingDown) << false << false << false << true;
        QTest::newRow("done") << int(JobState::Done) << true << false << false << false;
        QTest::newRow("lost") << int(JobState::Lost) << true << false << false << false;
    }

    void classification()
    {
        QFETCH(int, state);
        QFETCH(bool, terminal);
        QFETCH(bool, outcome);
        QFETCH(bool, active);
        QFETCH(bool, bills);
        const auto jobState = static_cast<JobState>(state);
        QCOMPARE(isTerminal(jobState), terminal);
        QCOMPARE(isOutcome(jobState), outcome);
        QCOMPARE(isActive(jobState), active);
        QCOMPARE(mayBill(jobState), bills);
        // A state is exactly one of: active, ended (outcome), or neither (stopped / teardown / terminal).
        QVERIFY(!(isActive(jobState) && isOutcome(jobState)));
        QVERIFY(!(isTerminal(jobState) && mayBill(jobState)));
    }

    void transitions_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<bool>("allowed");
        for (JobState from : kAllStates) {
            for (JobState to : kAllStates) {
                const bool allowed = kAllowed[std::size_t(indexOf(from))][std::size_t(indexOf(to))] == '1';
                QTest::addRow("%s -> %s", qPrintable(stateName(from)), qPrintable(stateName(to)))
                    << int(from) << int(to) << allowed;
            }
        }
    }

    void transitions()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(bool, allowed);
        QCOMPARE(canTransition(static_cast<JobState>(from), static_cast<JobState>(to)), allowed);
    }

    // The rules the table above encodes, stated one by one so a mistake in the table shows too.
    void stayingPutIsAlwaysAllowed()
    {
        for (JobState state : kAllStates)
            QVERIFY2(canTransition(state, state), qPrintable(stateName(state)));
    }

    void terminalStatesNeverLeave()
    {
        for (JobState from : {JobState::Done, JobState::Lost})
            for (JobState to : kAllStates)
                if (to != from)
                    QVERIFY2(!canTransition(from, to), qPrintable(stateName(from) + QStringLiteral(" -> ") + stateName(to)));
    }

    void launchingIsNeverReentered()
    {
        for (JobState from : kAllStates)
            if (from != JobState::Launching)
                QVERIFY2(!canTransition(from, JobState::Launching), qPrintable(stateName(from)));
    }

    void outcomesAreReachableFromActiveStates()
    {
        for (JobState from : kAllStates) {
            if (!isActive(from))
                continue;
            for (JobState to : {JobState::Succeeded, JobState::Failed, JobState::Cancelled})
                QVERIFY2(canTransition(from, to), qPrintable(stateName(from) + QStringLiteral(" -> ") + stateName(to)));
        }
    }

    void teardownAndEndsAreReachableFromAnythingAlive()
    {
        for (JobState from : kAllStates) {
            if (isTerminal(from))
                continue;
            for (JobState to : {JobState::TearingDown, JobState::Done, JobState::Lost})
                QVERIFY2(canTransition(from, to), qPrintable(stateName(from) + QStringLiteral(" -> ") + stateName(to)));
        }
    }

    void teardownIsNotUndone()
    {
        QVERIFY(!canTransition(JobState::TearingDown, JobState::Stopped));
        QVERIFY(!canTransition(JobState::TearingDown, JobState::Running));
        QVERIFY(!canTransition(JobState::TearingDown, JobState::Succeeded));
        QVERIFY(canTransition(JobState::Running, JobState::Stopped));
        QVERIFY(canTransition(JobState::Succeeded, JobState::Stopped)); // policy "keep stopped"
    }

    void policyNamesRoundTrip_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<QString>("name");
        QTest::newRow("down") << int(TeardownPolicy::Down) << QStringLiteral("down");
        QTest::newRow("keep-minutes") << int(TeardownPolicy::KeepMinutes) << QStringLiteral("keep-minutes");
        QTest::newRow("keep-stopped") << int(TeardownPolicy::KeepStopped) << QStringLiteral("keep-stopped");
        QTest::newRow("keep-up") << int(TeardownPolicy::KeepUp) << QStringLiteral("keep-up");
    }

    void policyNamesRoundTrip()
    {
        QFETCH(int, policy);
        QFETCH(QString, name);
        const auto teardown = static_cast<TeardownPolicy>(policy);
        QCOMPARE(policyName(teardown), name);
        const std::optional<TeardownPolicy> parsed = policyFromName(name);
        QVERIFY(parsed.has_value());
        QCOMPARE(int(*parsed), policy);
        QVERIFY(!policyLabel(teardown, 30).trimmed().isEmpty());
    }

    void unknownPolicyNamesAreRejected_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("upper case") << QStringLiteral("Down");
        QTest::newRow("underscore") << QStringLiteral("keep_minutes");
        QTest::newRow("other") << QStringLiteral("destroy");
    }

    void unknownPolicyNamesAreRejected()
    {
        QFETCH(QString, name);
        QVERIFY(!policyFromName(name).has_value());
    }

    void policyLabelsAreDistinctAndSayTheMinutes()
    {
        QSet<QString> labels;
        for (TeardownPolicy policy : kAllPolicies)
            labels.insert(policyLabel(policy, 45));
        QCOMPARE(labels.size(), int(kAllPolicies.size()));
        const QString keep = policyLabel(TeardownPolicy::KeepMinutes, 45);
        QVERIFY2(keep.contains(QStringLiteral("45")), qPrintable(keep));
        QVERIFY2(!keep.contains(QStringLiteral("%n")), qPrintable(keep));
        QVERIFY(policyLabel(TeardownPolicy::KeepMinutes, 45) != policyLabel(TeardownPolicy::KeepMinutes, 10));
    }
};

VIBEML_TEST_MAIN_CORE(TestJobState)
#include "tst_jobstate.moc"

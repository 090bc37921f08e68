#include "config/Settings.h"
#include "plan/HubSearchBox.h"
#include "plan/HubSearchModel.h"
#include "plan/ModelPicker.h"

#include "GuiTestMain.h"
#include "HubTestRig.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>

using namespace vibeml;
using test::FakeHub;
using test::HubTestRig;

namespace {

int g_counter = 0;

std::unique_ptr<Settings> freshSettings()
{
    auto settings = std::make_unique<Settings>(test::isolatedRoot() + QStringLiteral("/picker-%1/settings.json").arg(++g_counter));
    settings->load();
    return settings;
}

int searchRequests(const FakeHub &fake)
{
    int count = 0;
    for (const FakeHub::Request &request : fake.requests())
        count += request.path == QLatin1String("/api/models") ? 1 : 0;
    return count;
}

} // namespace

class TestModelPicker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typingSendsOneDebouncedSearch()
    {
        HubTestRig rig;
        auto settings = freshSettings();
        ModelPicker picker(*rig.client, settings.get(), &rig.snapshot);
        HubSearchModel *model = picker.searchBox()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        QSignalSpy finished(model, &HubSearchModel::searchFinished);

        QTest::keyClicks(picker.searchBox()->field(), QStringLiteral("llama"));
        QVERIFY(model->isSearching());
        QCOMPARE(searchRequests(rig.fake), 0); // still waiting for the typing to pause
        QVERIFY(finished.wait(5000));
        QCOMPARE(searchRequests(rig.fake), 1); // five keystrokes, one request
        QCOMPARE(rig.fake.requests().constLast().query.queryItemValue(QStringLiteral("search")), QStringLiteral("llama"));
        QCOMPARE(model->rowCount(), 5);
        QCOMPARE(model->idAt(0), QStringLiteral("meta-llama/Llama-3.2-1B-Instruct"));
        QCOMPARE(model->index(0, HubSearchModel::AccessColumn).data().toString(), QStringLiteral("gated (approval)"));
        QCOMPARE(model->index(1, HubSearchModel::SizeColumn).data().toString(), QStringLiteral("8.03 B"));
        QCOMPARE(model->headerData(HubSearchModel::LicenceColumn, Qt::Horizontal).toString(), QStringLiteral("Licence"));
        QVERIFY2(picker.searchBox()->statusLabel()->text().contains(QStringLiteral("live")),
                 qPrintable(picker.searchBox()->statusLabel()->text()));
        // Sorting by a column orders by number, not by text.
        picker.searchBox()->view()->sortByColumn(HubSearchModel::LikesColumn, Qt::DescendingOrder);
        const QAbstractItemModel *shown = picker.searchBox()->view()->model();
        for (int row = 1; row < shown->rowCount(); ++row)
            QVERIFY(shown->index(row - 1, HubSearchModel::LikesColumn).data(HubSearchModel::SortRole).toLongLong()
                    >= shown->index(row, HubSearchModel::LikesColumn).data(HubSearchModel::SortRole).toLongLong());
    }

    void staleRepliesAreDropped()
    {
        HubTestRig rig;
        ModelPicker picker(*rig.client, nullptr, &rig.snapshot);
        HubSearchModel *model = picker.searchBox()->model();
        model->setDebounce(std::chrono::milliseconds(0));
        // The first query's answer is slow; the second's arrives first.
        rig.fake.setDelay(std::chrono::milliseconds(600));
        rig.fake.setFault(FakeHub::Fault::SlowAnswer, QStringLiteral("/api/models"), 1);
        QSignalSpy finished(model, &HubSearchModel::searchFinished);
        model->setQuery(QStringLiteral("lla"));
        QTRY_COMPARE(searchRequests(rig.fake), 1);
        model->setQuery(QStringLiteral("llama"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(model->rowCount(), 5);
        QTest::qWait(900); // long enough for the slow "lla" answer, had it not been dropped
        QCOMPARE(finished.count(), 1);
        QCOMPARE(model->rowCount(), 5); // "lla" matches nothing: it would have emptied the list
        QCOMPARE(model->query(), QStringLiteral("llama"));
        QCOMPARE(searchRequests(rig.fake), 2);
    }

    void aRepeatedQueryIsAnsweredFromTheCacheAtOnce()
    {
        HubTestRig rig;
        ModelPicker picker(*rig.client, nullptr, &rig.snapshot);
        HubSearchModel *model = picker.searchBox()->model();
        QSignalSpy finished(model, &HubSearchModel::searchFinished);
        model->setQuery(QStringLiteral("llama"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(searchRequests(rig.fake), 1);
        model->setQuery(QString());
        QVERIFY(model->showsRecent());
        // Asked before and still fresh: shown before setQuery() returns, no debounce, no request.
        model->setQuery(QStringLiteral("llama"));
        QCOMPARE(finished.count(), 2);
        QVERIFY(!model->isSearching());
        QCOMPARE(model->rowCount(), 5);
        QVERIFY2(model->statusText().contains(QStringLiteral("cached")), qPrintable(model->statusText()));
        QCOMPARE(searchRequests(rig.fake), 1);
    }

    void offlineSearchUsesTheSnapshot()
    {
        HubTestRig rig;
        rig.setOffline(true);
        ModelPicker picker(*rig.client, nullptr, &rig.snapshot);
        HubSearchModel *model = picker.searchBox()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(model, &HubSearchModel::searchFinished);
        model->setQuery(QStringLiteral("qwen"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(model->rowCount(), 4);
        QVERIFY2(model->statusText().contains(QStringLiteral("offline snapshot of 2026-11-28")), qPrintable(model->statusText()));
        QCOMPARE(rig.fake.requests().size(), 0);
    }

    void choosingAnIdShowsTheReport()
    {
        HubTestRig rig;
        auto settings = freshSettings();
        ModelPicker picker(*rig.client, settings.get(), &rig.snapshot);
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        QSignalSpy chosen(&picker, &ModelPicker::modelChosen);
        QTest::keyClicks(picker.searchBox()->field(), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QTest::keyClick(picker.searchBox()->field(), Qt::Key_Return);
        QVERIFY(chosen.wait(10000));
        QVERIFY(picker.report());
        QVERIFY(picker.report()->canLaunch());
        QVERIFY2(picker.titleLabel()->text().contains(QStringLiteral("commit 7ae557604adf")), qPrintable(picker.titleLabel()->text()));
        QVERIFY2(picker.factsLabel()->text().contains(QStringLiteral("494 M parameters")), qPrintable(picker.factsLabel()->text()));
        const QString checks = picker.checksLabel()->text();
        QVERIFY(checks.contains(QStringLiteral("✓")));
        QVERIFY(checks.contains(QStringLiteral("Parameters")));
        QVERIFY(!checks.contains(QStringLiteral("✗")));
        QVERIFY(picker.checksLabel()->accessibleDescription().contains(QStringLiteral("pass Access: public")));

        // Remembered: a new picker lists it among the recent picks.
        QCOMPARE(settings->text(SettingKey::RecentModels), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        ModelPicker again(*rig.client, settings.get(), &rig.snapshot);
        QCOMPARE(again.searchBox()->model()->rowCount(), 1);
        QVERIFY(again.searchBox()->model()->showsRecent());
        QCOMPARE(again.searchBox()->model()->idAt(0), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
    }

    void gatedModelLinksToTheAccessRequest()
    {
        HubTestRig rig;
        rig.useToken(FakeHub::notApprovedToken());
        ModelPicker picker(*rig.client, nullptr, &rig.snapshot);
        QSignalSpy chosen(&picker, &ModelPicker::modelChosen);
        picker.choose(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QVERIFY(chosen.wait(10000));
        QVERIFY(!picker.report()->canLaunch());
        const QString checks = picker.checksLabel()->text();
        QVERIFY(checks.contains(QStringLiteral("✗")));
        QVERIFY2(checks.contains(QStringLiteral("<a href=\"") + rig.fake.url().toString() + QStringLiteral("/meta-llama/Llama-3.1-8B-Instruct")),
                 qPrintable(checks));
        QVERIFY(picker.checksLabel()->openExternalLinks());
    }

    void keyboardChoosesAResult()
    {
        HubTestRig rig;
        ModelPicker picker(*rig.client, nullptr, &rig.snapshot);
        picker.show();
        picker.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&picker));
        HubSearchModel *model = picker.searchBox()->model();
        QSignalSpy finished(model, &HubSearchModel::searchFinished);
        QSignalSpy started(&picker, &ModelPicker::validationStarted);
        picker.searchBox()->field()->setFocus();
        QTest::keyClicks(picker.searchBox()->field(), QStringLiteral("llama"));
        QTest::keyClick(picker.searchBox()->field(), Qt::Key_Return); // search now, without waiting
        QVERIFY(finished.wait(5000));
        QTest::keyClick(picker.searchBox()->field(), Qt::Key_Down);
        QVERIFY(picker.searchBox()->view()->hasFocus());
        QTest::keyClick(picker.searchBox()->view(), Qt::Key_Down);
        QTest::keyClick(picker.searchBox()->view(), Qt::Key_Return);
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.first().first().toString(), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        for (QWidget *widget : picker.findChildren<QWidget *>()) {
            if (widget->focusPolicy() != Qt::NoFocus && (qobject_cast<QLineEdit *>(widget) || qobject_cast<QTableView *>(widget)))
                QVERIFY2(!widget->accessibleName().isEmpty(), widget->metaObject()->className());
        }
    }
};

VIBEML_TEST_MAIN_GUI(TestModelPicker)
#include "tst_modelpicker.moc"

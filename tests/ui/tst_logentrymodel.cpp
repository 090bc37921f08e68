#include "models/LogEntryModel.h"
#include "models/LogFilterModel.h"

#include "GuiTestMain.h"

#include <QAbstractItemModelTester>

using namespace vibeml;

namespace {
LogEntry entry(LogLevel level, const QString &message, const QString &area = QStringLiteral("app"))
{
    return LogEntry{QDateTime::currentDateTime(), level, area, message};
}
} // namespace

class TestLogEntryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsAndKeepsCapacity()
    {
        LogEntryModel model(3);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 5; ++i)
            model.append(entry(LogLevel::Info, QStringLiteral("message %1").arg(i)));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, LogEntryModel::MessageColumn).data().toString(), QStringLiteral("message 2"));
        QCOMPARE(model.index(2, LogEntryModel::MessageColumn).data().toString(), QStringLiteral("message 4"));
        QCOMPARE(model.index(0, LogEntryModel::LevelColumn).data().toString(), QStringLiteral("info"));
        QCOMPARE(model.index(0, LogEntryModel::AreaColumn).data().toString(), QStringLiteral("app"));
        QVERIFY(model.index(0, LogEntryModel::MessageColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("message 2")));
        QCOMPARE(model.headerData(LogEntryModel::MessageColumn, Qt::Horizontal).toString(), QStringLiteral("Message"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void errorsStandOut()
    {
        LogEntryModel model;
        model.append(entry(LogLevel::Error, QStringLiteral("failed")));
        model.append(entry(LogLevel::Info, QStringLiteral("fine")));
        QVERIFY(model.index(0, 0).data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.index(1, 0).data(Qt::ForegroundRole).isValid());
    }

    void filtersByLevelAndText()
    {
        LogEntryModel model;
        LogFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(entry(LogLevel::Debug, QStringLiteral("polling sky status")));
        model.append(entry(LogLevel::Info, QStringLiteral("settings loaded")));
        model.append(entry(LogLevel::Warning, QStringLiteral("sky status failed, retrying")));
        model.append(entry(LogLevel::Error, QStringLiteral("hub unreachable")));
        QCOMPARE(filter.rowCount(), 3); // info and above by default
        filter.setMinimumLevel(LogLevel::Warning);
        QCOMPARE(filter.rowCount(), 2);
        filter.setFilterFixedString(QStringLiteral("SKY"));
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, LogEntryModel::MessageColumn).data().toString(), QStringLiteral("sky status failed, retrying"));
        filter.setMinimumLevel(LogLevel::Debug);
        QCOMPARE(filter.rowCount(), 2);
    }
};

VIBEML_TEST_MAIN_GUI(TestLogEntryModel)
#include "tst_logentrymodel.moc"

#include "plan/ColumnMappingEditor.h"
#include "plan/DatasetPicker.h"
#include "plan/HubSearchBox.h"
#include "plan/HubSearchModel.h"
#include "plan/RowsPreviewModel.h"

#include "GuiTestMain.h"
#include "HubTestRig.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>

using namespace vibeml;
using test::HubTestRig;

class TestDatasetPicker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void searchChooseAndPreview()
    {
        HubTestRig rig;
        DatasetPicker picker(*rig.client, nullptr, &rig.snapshot);
        QAbstractItemModelTester searchTester(picker.searchBox()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester previewTester(picker.previewModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        picker.show();
        picker.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&picker));
        QSignalSpy finished(picker.searchBox()->model(), &HubSearchModel::searchFinished);
        QSignalSpy chosen(&picker, &DatasetPicker::datasetChosen);
        picker.searchBox()->field()->setFocus();
        QTest::keyClicks(picker.searchBox()->field(), QStringLiteral("ultrachat"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(picker.searchBox()->model()->rowCount(), 1);
        QCOMPARE(picker.searchBox()->model()->idAt(0), QStringLiteral("HuggingFaceH4/ultrachat_200k"));
        QTest::keyClick(picker.searchBox()->field(), Qt::Key_Down);
        QTest::keyClick(picker.searchBox()->view(), Qt::Key_Return);
        QVERIFY(chosen.wait(10000));

        const auto &report = picker.report();
        QVERIFY(report && report->canLaunch());
        QVERIFY2(picker.factsLabel()->text().contains(QStringLiteral("207,865 rows in default / train_sft")),
                 qPrintable(picker.factsLabel()->text()));
        QCOMPARE(picker.configBox()->currentText(), QStringLiteral("default"));
        QCOMPARE(picker.splitBox()->currentText(), QStringLiteral("train_sft"));
        QVERIFY(picker.splitBox()->count() >= 2); // train_sft, test_sft, …

        // The mapping: chat messages, with the dataset's columns in the role boxes.
        ColumnMappingEditor *mapping = picker.mappingEditor();
        QCOMPARE(mapping->mapping().format, hub::DataFormat::Chat);
        QCOMPARE(mapping->roleBox(QStringLiteral("messages"))->currentData().toString(), QStringLiteral("messages"));
        QCOMPARE(mapping->roleBox(QStringLiteral("messages"))->count(), 3);
        QVERIFY(mapping->problem().isEmpty());

        // The preview is a model of the viewer's first rows, nested values as compact JSON.
        RowsPreviewModel *preview = picker.previewModel();
        QCOMPARE(preview->rowCount(), 1);
        QCOMPARE(preview->columnCount(), 3);
        QStringList headers;
        for (int column = 0; column < preview->columnCount(); ++column)
            headers << preview->headerData(column, Qt::Horizontal).toString();
        QVERIFY(headers.contains(QStringLiteral("messages")));
        const int messages = static_cast<int>(headers.indexOf(QStringLiteral("messages")));
        const QString cell = preview->index(0, messages).data().toString();
        QVERIFY2(cell.startsWith(QStringLiteral("[{\"content\":\"Create a fully-developed protagonist")), qPrintable(cell));
        QVERIFY(cell.size() <= 160);
        QVERIFY(preview->index(0, messages).data(Qt::ToolTipRole).toString().size() > cell.size());
        QVERIFY(preview->headerData(messages, Qt::Horizontal, Qt::ToolTipRole).toString().startsWith(QStringLiteral("list<")));
    }

    void editedMappingIsCheckedAgain()
    {
        HubTestRig rig;
        DatasetPicker picker(*rig.client, nullptr, &rig.snapshot);
        QSignalSpy chosen(&picker, &DatasetPicker::datasetChosen);
        picker.choose(QStringLiteral("HuggingFaceH4/ultrachat_200k"));
        QVERIFY(chosen.wait(10000));
        ColumnMappingEditor *mapping = picker.mappingEditor();

        // Plain text on the "prompt" column: the dataset is checked again with the user's mapping.
        QComboBox *format = mapping->formatBox();
        format->setCurrentIndex(format->findData(static_cast<int>(hub::DataFormat::Text)));
        QVERIFY(chosen.wait(10000));
        QCOMPARE(picker.report()->format.mapping.format, hub::DataFormat::Text);
        QCOMPARE(picker.report()->format.mapping.text, QStringLiteral("prompt"));
        const hub::CheckLine *line = picker.report()->check(hub::CheckLine::Topic::Format);
        QVERIFY(line);
        QVERIFY2(line->text.contains(QStringLiteral("chosen by you")), qPrintable(line->text));
        QCOMPARE(mapping->mapping().format, hub::DataFormat::Text);

        // A list column as the output text is explained inline, in core's words, and not sent.
        format->setCurrentIndex(format->findData(static_cast<int>(hub::DataFormat::Instruction)));
        QVERIFY(chosen.wait(10000));
        QComboBox *output = mapping->roleBox(QStringLiteral("output"));
        const int before = static_cast<int>(chosen.count());
        output->setCurrentIndex(output->findData(QStringLiteral("messages")));
        QVERIFY2(mapping->problem().contains(QStringLiteral("not text")), qPrintable(mapping->problem()));
        bool shown = false;
        for (QLabel *label : mapping->findChildren<QLabel *>())
            shown = shown || (label->isVisibleTo(mapping) && label->text() == mapping->problem());
        QVERIFY(shown);
        QTest::qWait(300);
        QCOMPARE(chosen.count(), before);
        QVERIFY(!picker.isValidating());
    }
};

VIBEML_TEST_MAIN_GUI(TestDatasetPicker)
#include "tst_datasetpicker.moc"

#include "plan/TrainingSettingsForm.h"

#include "GuiTestMain.h"

#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>

using namespace vibeml;
using cost::SettingsField;

namespace {

void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestTrainingSettingsForm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsFromThePreset()
    {
        TrainingSettingsForm form;
        const auto settings = form.settings();
        QVERIFY(settings);
        QCOMPARE(settings->method, cost::Method::Lora);
        QCOMPARE(form.field(SettingsField::LearningRate)->text(), QStringLiteral("2e-4"));
        QCOMPARE(form.field(SettingsField::LoraTargets)->text(), cost::defaultLoraTargets().join(QStringLiteral(", ")));
        QVERIFY(form.presetLabel()->text().contains(QStringLiteral("LoRA")));

        // QLoRA 4-bit on a 70 B model: the QLoRA paper's rank and a lower learning rate.
        form.methodBox()->setCurrentIndex(form.methodBox()->findData(static_cast<int>(cost::Method::Qlora4)));
        form.setModelParameters(70'553'706'496);
        QCOMPARE(form.field(SettingsField::LoraRank)->text(), QStringLiteral("64"));
        QCOMPARE(form.field(SettingsField::LearningRate)->text(), QStringLiteral("1e-4"));
        QVERIFY(form.presetLabel()->text().contains(QStringLiteral("40 B")));

        // A full fine-tune has no adapter: its fields are disabled.
        form.methodBox()->setCurrentIndex(form.methodBox()->findData(static_cast<int>(cost::Method::FullMixed)));
        QVERIFY(!form.field(SettingsField::LoraRank)->isEnabled());
        QCOMPARE(form.settings()->method, cost::Method::FullMixed);
        QCOMPARE(form.field(SettingsField::LearningRate)->text(), QStringLiteral("1e-5"));
    }

    void invalidValuesAreExplainedAsYouType()
    {
        TrainingSettingsForm form;
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QSignalSpy changed(&form, &TrainingSettingsForm::settingsChanged);
        QLineEdit *rate = form.field(SettingsField::LearningRate);
        QLabel *message = form.message(SettingsField::LearningRate);
        QVERIFY(!message->isVisible());

        retype(rate, QStringLiteral("fast"));
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(QStringLiteral("learning rate must be a number")), qPrintable(message->text()));
        QVERIFY(!form.settings());
        QVERIFY(!form.isValid());
        QCOMPARE(form.problems().size(), 1);

        retype(rate, QStringLiteral("3e-4"));
        QVERIFY(!message->isVisible());
        QVERIFY(form.settings());
        QCOMPARE(form.settings()->learningRate, 3e-4);
        QVERIFY(changed.count() > 0);

        QLineEdit *batch = form.field(SettingsField::MicroBatch);
        retype(batch, QStringLiteral("0"));
        QVERIFY(form.message(SettingsField::MicroBatch)->isVisible());
        QVERIFY(form.message(SettingsField::MicroBatch)->text().contains(QStringLiteral("from 1 to 1,024")));
        retype(batch, QStringLiteral("4"));
        QCOMPARE(form.settings()->microBatch, 4);

        retype(form.field(SettingsField::MaxRuntime), QStringLiteral("soon"));
        QVERIFY(form.message(SettingsField::MaxRuntime)->text().contains(QStringLiteral("90m")));
        retype(form.field(SettingsField::MaxRuntime), QStringLiteral("6h"));
        QCOMPARE(form.settings()->maxRuntimeHours, std::optional<double>(6.0));
    }

    void adviceIsNotARefusal()
    {
        TrainingSettingsForm form;
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        form.methodBox()->setCurrentIndex(form.methodBox()->findData(static_cast<int>(cost::Method::FullBf16)));
        retype(form.field(SettingsField::LearningRate), QStringLiteral("2e-4"));
        QLabel *message = form.message(SettingsField::LearningRate);
        QVERIFY(message->isVisible());
        QVERIFY(message->text().contains(QStringLiteral("high for a full fine-tune")));
        QVERIFY(form.isValid());
        QCOMPARE(form.settings()->learningRate, 2e-4);
    }

    void stepsInsteadOfEpochs()
    {
        TrainingSettingsForm form;
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QVERIFY(form.field(SettingsField::Epochs)->isVisible());
        QVERIFY(!form.field(SettingsField::MaxSteps)->isVisible());
        form.lengthUnitBox()->setCurrentIndex(1);
        QVERIFY(form.field(SettingsField::MaxSteps)->isVisible());
        QVERIFY(!form.field(SettingsField::Epochs)->isVisible());
        retype(form.field(SettingsField::MaxSteps), QStringLiteral("1200"));
        QCOMPARE(form.settings()->maxSteps, 1200);
        retype(form.field(SettingsField::MaxSteps), QStringLiteral("0"));
        QVERIFY(!form.settings());
        form.lengthUnitBox()->setCurrentIndex(0); // back to epochs: the bad step count no longer matters
        QVERIFY(form.settings());
        QCOMPARE(form.settings()->maxSteps, 0);
    }

    void outputIsChecked()
    {
        TrainingSettingsForm form;
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QLabel *message = form.outputMessage();
        QVERIFY(message->isVisible()); // nothing keeps the result yet: a caution
        QVERIFY(form.isValid());
        retype(form.outputRepoField(), QStringLiteral("my org/model"));
        QVERIFY(!form.isValid());
        QVERIFY(message->text().contains(QStringLiteral("my org/model")) || !message->text().isEmpty());
        retype(form.outputRepoField(), QStringLiteral("my-org/qwen-lora"));
        QVERIFY(form.isValid());
        QVERIFY(!message->isVisible());
        QCOMPARE(form.outputRepo(), QStringLiteral("my-org/qwen-lora"));
        QVERIFY(form.outputPrivate());
    }

    void everyEditorHasAnAccessibleName()
    {
        TrainingSettingsForm form;
        for (QWidget *widget : form.findChildren<QWidget *>()) {
            if (qobject_cast<QLineEdit *>(widget) || qobject_cast<QComboBox *>(widget))
                QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(widget->objectName()));
        }
    }
};

VIBEML_TEST_MAIN_GUI(TestTrainingSettingsForm)
#include "tst_trainingsettingsform.moc"

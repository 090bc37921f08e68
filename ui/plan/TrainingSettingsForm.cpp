#include "plan/TrainingSettingsForm.h"

#include "plan/PlanStyle.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vibeml {
namespace {

using cost::SettingsField;

const cost::Method kMethods[] = {cost::Method::Lora, cost::Method::Qlora4, cost::Method::Qlora8, cost::Method::FullMixed,
                                 cost::Method::FullBf16};

const SettingsField kAllFields[] = {SettingsField::Epochs,         SettingsField::MaxSteps,     SettingsField::LearningRate,
                                    SettingsField::MicroBatch,     SettingsField::GradientAccumulation,
                                    SettingsField::SequenceLength, SettingsField::LoraRank,     SettingsField::LoraAlpha,
                                    SettingsField::LoraDropout,    SettingsField::LoraTargets,  SettingsField::MaxRuntime};

bool isLoraField(SettingsField field)
{
    return field == SettingsField::LoraRank || field == SettingsField::LoraAlpha || field == SettingsField::LoraDropout
           || field == SettingsField::LoraTargets;
}

// An editor with its inline message underneath, as one form cell.
QWidget *cell(QWidget *editor, QLabel *message, QWidget *parent)
{
    auto *widget = new QWidget(parent);
    auto *layout = new QVBoxLayout(widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(editor);
    layout->addWidget(message);
    return widget;
}

} // namespace

TrainingSettingsForm::TrainingSettingsForm(QWidget *parent)
    : QWidget(parent), m_method(new QComboBox(this)), m_lengthUnit(new QComboBox(this)), m_loraBox(nullptr),
      m_presetLabel(new QLabel(this)), m_resetPreset(new QPushButton(tr("Reset to preset"), this)),
      m_outputRepo(new QLineEdit(this)), m_private(new QCheckBox(tr("Pr&ivate repository"), this)),
      m_downloadFolder(new QLineEdit(this)), m_wandb(new QCheckBox(tr("Trac&k in Weights && Biases"), this)),
      m_outputMessage(planstyle::messageLabel(this))
{
    setAccessibleName(tr("Training settings"));
    for (cost::Method method : kMethods)
        m_method->addItem(cost::methodTitle(method), static_cast<int>(method));
    m_method->setAccessibleName(tr("Method"));
    m_method->setToolTip(tr("LoRA trains a small adapter on a frozen model; QLoRA does the same on a quantized model "
                            "(less memory, slower); a full fine-tune changes every weight (most memory)."));
    m_lengthUnit->addItem(tr("epochs"));
    m_lengthUnit->addItem(tr("steps"));
    m_lengthUnit->setAccessibleName(tr("Train for epochs or steps"));

    auto *training = new QGroupBox(tr("Training"), this);
    auto *trainingForm = new QFormLayout(training);
    auto *methodLabel = new QLabel(tr("&Method:"), training);
    methodLabel->setBuddy(m_method);
    trainingForm->addRow(methodLabel, m_method);
    // Epochs and steps share one row; the unit box says which one is used.
    auto *lengthRow = new QWidget(training);
    auto *lengthLayout = new QHBoxLayout(lengthRow);
    lengthLayout->setContentsMargins(0, 0, 0, 0);
    auto *lengthForm = new QFormLayout; // holds the two editors, only to reuse addField
    addField(lengthForm, SettingsField::Epochs, tr("Epochs:"), tr("Passes over the whole training split; fractions allowed."));
    addField(lengthForm, SettingsField::MaxSteps, tr("Steps:"),
             tr("Optimizer steps, each over micro-batch × accumulation × GPUs rows."));
    auto *lengthEditors = new QWidget(lengthRow);
    lengthEditors->setLayout(lengthForm);
    lengthForm->setContentsMargins(0, 0, 0, 0);
    lengthLayout->addWidget(lengthEditors, 1);
    lengthLayout->addWidget(m_lengthUnit, 0, Qt::AlignTop);
    m_lengthLabel = new QLabel(tr("&Train for:"), training);
    m_lengthLabel->setBuddy(m_fields.value(SettingsField::Epochs));
    trainingForm->addRow(m_lengthLabel, lengthRow);
    addField(trainingForm, SettingsField::LearningRate, tr("Learning &rate:"), tr("Peak learning rate, e.g. 2e-4 for LoRA."));
    addField(trainingForm, SettingsField::MicroBatch, tr("Batch per &GPU:"), tr("Rows per GPU per forward pass."));
    addField(trainingForm, SettingsField::GradientAccumulation, tr("&Accumulation:"),
             tr("Micro-batches summed before each optimizer step."));
    addField(trainingForm, SettingsField::SequenceLength, tr("Se&quence length:"), tr("Tokens per example; longer rows are cut."));
    addField(trainingForm, SettingsField::MaxRuntime, tr("&Stop after:"),
             tr("A hard time limit such as 6h or 90m; the run is stopped there, so the budget can count on it. Empty: no "
                "limit."));
    m_fields.value(SettingsField::MaxRuntime)->setPlaceholderText(tr("no limit (e.g. 6h)"));

    auto *lora = new QGroupBox(tr("LoRA adapter"), this);
    m_loraBox = lora;
    auto *loraForm = new QFormLayout(lora);
    addField(loraForm, SettingsField::LoraRank, tr("Ra&nk:"), tr("Width of the adapter matrices."));
    addField(loraForm, SettingsField::LoraAlpha, tr("Alpha (s&cale):"), tr("Scale of the adapter's updates (alpha / rank)."));
    addField(loraForm, SettingsField::LoraDropout, tr("Dr&opout:"), tr("Dropout on the adapter's input."));
    addField(loraForm, SettingsField::LoraTargets, tr("Targ&ets:"), tr("Modules to adapt, separated by commas."));

    auto *output = new QGroupBox(tr("Results"), this);
    auto *outputForm = new QFormLayout(output);
    m_outputRepo->setPlaceholderText(tr("e.g. my-org/qwen-support-lora (empty: no upload)"));
    m_outputRepo->setAccessibleName(tr("Hub repository for the result"));
    auto *repoLabel = new QLabel(tr("&Upload to Hub:"), output);
    repoLabel->setBuddy(m_outputRepo);
    outputForm->addRow(repoLabel, cell(m_outputRepo, m_outputMessage, output));
    m_private->setChecked(true);
    m_private->setAccessibleName(tr("Private repository"));
    outputForm->addRow(QString(), m_private);
    m_downloadFolder->setPlaceholderText(tr("empty: keep on the cluster until it is torn down"));
    m_downloadFolder->setAccessibleName(tr("Download folder"));
    auto *browse = new QPushButton(tr("Bro&wse…"), output);
    browse->setAccessibleName(tr("Choose the download folder"));
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_downloadFolder, 1);
    folderRow->addWidget(browse);
    auto *folderLabel = new QLabel(tr("Downloa&d to:"), output);
    folderLabel->setBuddy(m_downloadFolder);
    outputForm->addRow(folderLabel, folderRow);
    m_wandb->setAccessibleName(tr("Track the run in Weights and Biases"));
    m_wandb->setToolTip(tr("Needs a W&B key in Preferences › Secrets; it reaches the cluster as a secret."));
    outputForm->addRow(QString(), m_wandb);

    m_presetLabel->setWordWrap(true);
    m_presetLabel->setAccessibleName(tr("Preset"));
    m_resetPreset->setAccessibleName(tr("Reset the settings to the preset"));
    auto *presetRow = new QHBoxLayout;
    presetRow->addWidget(m_presetLabel, 1);
    presetRow->addWidget(m_resetPreset);

    auto *right = new QVBoxLayout;
    right->addWidget(lora);
    right->addWidget(output);
    right->addStretch(1);
    auto *columns = new QHBoxLayout;
    columns->addWidget(training, 1);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(presetRow);
    layout->addLayout(columns);
    layout->addStretch(1);
    setFocusProxy(m_method);

    connect(m_method, &QComboBox::currentIndexChanged, this, &TrainingSettingsForm::methodChanged);
    connect(m_lengthUnit, &QComboBox::currentIndexChanged, this, &TrainingSettingsForm::lengthUnitChanged);
    connect(m_resetPreset, &QPushButton::clicked, this, &TrainingSettingsForm::applyPreset);
    connect(m_outputRepo, &QLineEdit::textChanged, this, &TrainingSettingsForm::checkOutput);
    connect(m_downloadFolder, &QLineEdit::textChanged, this, &TrainingSettingsForm::checkOutput);
    connect(m_private, &QCheckBox::toggled, this, &TrainingSettingsForm::settingsChanged);
    connect(m_wandb, &QCheckBox::toggled, this, &TrainingSettingsForm::settingsChanged);
    connect(browse, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Download the results to"), m_downloadFolder->text());
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, m_downloadFolder, &QLineEdit::setText);
        dialog->open();
    });

    applyPreset();
    checkOutput();
}

QLineEdit *TrainingSettingsForm::addField(QFormLayout *form, SettingsField field, const QString &label, const QString &help)
{
    auto *edit = new QLineEdit(this);
    QString name = label;
    name.remove(QLatin1Char('&'));
    name.chop(1);
    edit->setAccessibleName(name);
    edit->setToolTip(help);
    edit->setAccessibleDescription(help);
    QLabel *message = planstyle::messageLabel(this);
    m_fields.insert(field, edit);
    m_messages.insert(field, message);
    if (field == SettingsField::Epochs || field == SettingsField::MaxSteps) {
        form->addRow(cell(edit, message, this));
    } else {
        auto *labelWidget = new QLabel(label, this);
        labelWidget->setBuddy(edit);
        form->addRow(labelWidget, cell(edit, message, this));
    }
    connect(edit, &QLineEdit::textChanged, this, [this, field] { fieldEdited(field); });
    return edit;
}

void TrainingSettingsForm::setModelParameters(qint64 parameters)
{
    const bool newSize = cost::modelSize(parameters) != cost::modelSize(m_parameters);
    m_parameters = parameters;
    if (newSize)
        applyPreset();
    else
        m_presetLabel->setText(tr("Starting values for %1 on %2; change any of them.")
                                   .arg(cost::methodTitle(m_settings.method), cost::modelSizeTitle(cost::modelSize(m_parameters))));
}

void TrainingSettingsForm::applyPreset()
{
    const auto method = static_cast<cost::Method>(m_method->currentData().toInt());
    m_settings = cost::preset(method, m_parameters);
    m_invalid.clear();
    showAllFields();
    m_presetLabel->setText(tr("Starting values for %1 on %2; change any of them.")
                               .arg(cost::methodTitle(method), cost::modelSizeTitle(cost::modelSize(m_parameters))));
    Q_EMIT settingsChanged();
}

void TrainingSettingsForm::showAllFields()
{
    m_updating = true;
    for (SettingsField field : kAllFields) {
        m_fields.value(field)->setText(cost::fieldText(m_settings, field));
        planstyle::showMessage(m_messages.value(field), QString(), planstyle::Tone::Problem);
    }
    m_lengthUnit->setCurrentIndex(m_settings.maxSteps > 0 ? 1 : 0);
    if (m_settings.maxSteps == 0)
        m_fields.value(SettingsField::MaxSteps)->setText(QStringLiteral("500"));
    m_updating = false;
    lengthUnitChanged();
    m_loraBox->setEnabled(cost::isLora(m_settings.method));
    showAdvice();
}

void TrainingSettingsForm::methodChanged()
{
    if (!m_updating)
        applyPreset();
}

void TrainingSettingsForm::lengthUnitChanged()
{
    const bool steps = m_lengthUnit->currentIndex() == 1;
    // Each editor sits in a cell with its message; show the cell of the unit in use.
    m_fields.value(SettingsField::Epochs)->parentWidget()->setVisible(!steps);
    m_fields.value(SettingsField::MaxSteps)->parentWidget()->setVisible(steps);
    if (m_lengthLabel)
        m_lengthLabel->setBuddy(m_fields.value(steps ? SettingsField::MaxSteps : SettingsField::Epochs));
    m_invalid.remove(steps ? SettingsField::Epochs : SettingsField::MaxSteps);
    planstyle::showMessage(m_messages.value(steps ? SettingsField::Epochs : SettingsField::MaxSteps), QString(),
                           planstyle::Tone::Problem);
    if (m_updating)
        return;
    fieldEdited(steps ? SettingsField::MaxSteps : SettingsField::Epochs);
}

void TrainingSettingsForm::fieldEdited(SettingsField field)
{
    if (m_updating)
        return;
    const bool steps = m_lengthUnit->currentIndex() == 1;
    if ((field == SettingsField::Epochs && steps) || (field == SettingsField::MaxSteps && !steps))
        return;
    const std::optional<QString> problem = cost::setField(m_settings, field, m_fields.value(field)->text());
    if (problem)
        m_invalid.insert(field, *problem);
    else
        m_invalid.remove(field);
    if (!steps)
        m_settings.maxSteps = 0;
    showAdvice();
    Q_EMIT settingsChanged();
}

void TrainingSettingsForm::showAdvice()
{
    QHash<SettingsField, QString> advice;
    for (const cost::SettingsAdvice &item : cost::adviseSettings(m_settings))
        advice.insert(item.field, item.text);
    for (SettingsField field : kAllFields) {
        if (isLoraField(field) && !cost::isLora(m_settings.method)) {
            planstyle::showMessage(m_messages.value(field), QString(), planstyle::Tone::Problem);
            continue;
        }
        if (m_invalid.contains(field))
            planstyle::showMessage(m_messages.value(field), m_invalid.value(field), planstyle::Tone::Problem);
        else
            planstyle::showMessage(m_messages.value(field), advice.value(field), planstyle::Tone::Caution);
    }
}

void TrainingSettingsForm::checkOutput()
{
    m_outputProblem = cost::outputRepoProblem(m_outputRepo->text()).value_or(QString());
    const QString folder = m_downloadFolder->text().trimmed();
    if (m_outputProblem.isEmpty() && !folder.isEmpty() && !QDir::isAbsolutePath(QDir::fromNativeSeparators(folder)))
        m_outputProblem = tr("Choose the download folder with Browse…, or type a full path.");
    if (!m_outputProblem.isEmpty())
        planstyle::showMessage(m_outputMessage, m_outputProblem, planstyle::Tone::Problem);
    else if (m_outputRepo->text().trimmed().isEmpty() && folder.isEmpty())
        planstyle::showMessage(m_outputMessage,
                               tr("Nothing will keep the result: name a Hub repository or a download folder."),
                               planstyle::Tone::Caution);
    else
        planstyle::showMessage(m_outputMessage, QString(), planstyle::Tone::Problem);
    Q_EMIT settingsChanged();
}

std::optional<cost::TrainingSettings> TrainingSettingsForm::settings() const
{
    if (!m_invalid.isEmpty())
        return std::nullopt;
    return m_settings;
}

QStringList TrainingSettingsForm::problems() const
{
    QStringList list;
    for (SettingsField field : kAllFields) {
        if (m_invalid.contains(field))
            list.append(m_invalid.value(field));
    }
    if (!m_outputProblem.isEmpty())
        list.append(m_outputProblem);
    return list;
}

QString TrainingSettingsForm::outputRepo() const
{
    return m_outputRepo->text().trimmed();
}

bool TrainingSettingsForm::outputPrivate() const
{
    return m_private->isChecked();
}

QString TrainingSettingsForm::downloadFolder() const
{
    return QDir::fromNativeSeparators(m_downloadFolder->text().trimmed());
}

bool TrainingSettingsForm::useWandb() const
{
    return m_wandb->isChecked();
}

} // namespace vibeml

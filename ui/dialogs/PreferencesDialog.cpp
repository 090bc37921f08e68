#include "dialogs/PreferencesDialog.h"

#include "config/Settings.h"
#include "dialogs/ConnectionStatusPanel.h"
#include "secrets/SecretStore.h"
#include "shell/HubAccount.h"
#include "widgets/SecretField.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace vibeml {
namespace {

// Settings are grouped by the first part of their stored name.
QString groupTitle(QStringView prefix)
{
    if (prefix == u"launch")
        return PreferencesDialog::tr("Launching");
    if (prefix == u"cluster")
        return PreferencesDialog::tr("Clusters");
    if (prefix == u"budget")
        return PreferencesDialog::tr("Budget");
    if (prefix == u"hub")
        return PreferencesDialog::tr("Hugging Face Hub");
    if (prefix == u"sky")
        return PreferencesDialog::tr("SkyPilot");
    if (prefix == u"log")
        return PreferencesDialog::tr("Job logs");
    return prefix.toString();
}

} // namespace

PreferencesDialog::PreferencesDialog(Settings &settings, SecretStore &secrets, QWidget *parent)
    : PreferencesDialog(settings, secrets, StatusSources{}, parent)
{
}

PreferencesDialog::PreferencesDialog(Settings &settings, SecretStore &secrets, const StatusSources &status, QWidget *parent)
    : QDialog(parent), m_settings(settings),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel
                                         | QDialogButtonBox::RestoreDefaults,
                                     this))
{
    setWindowTitle(tr("VibeML Preferences"));
    setAccessibleName(tr("Preferences"));

    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    QFormLayout *form = nullptr;
    QString currentGroup;
    for (const SettingDefinition &definition : settingsschema::definitions()) {
        if (!definition.userVisible)
            continue;
        const QString name = QLatin1String(definition.name);
        const QString group = name.left(name.indexOf(QLatin1Char('.')));
        if (group != currentGroup || !form) {
            currentGroup = group;
            auto *box = new QGroupBox(groupTitle(group), content);
            form = new QFormLayout(box);
            contentLayout->addWidget(box);
        }
        QWidget *editor = createEditor(definition);
        const QString summary = settingsschema::summary(definition.key);
        editor->setToolTip(summary);
        editor->setAccessibleDescription(summary);
        auto *label = new QLabel(settingsschema::label(definition.key) + QLatin1Char(':'), content);
        label->setBuddy(editor);
        editor->setAccessibleName(label->text().chopped(1));
        auto *error = new QLabel(content);
        error->setWordWrap(true);
        error->setStyleSheet(QStringLiteral("color: #d32f2f;"));
        error->hide();
        auto *cell = new QWidget(content);
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 0, 0, 0);
        cellLayout->addWidget(editor);
        cellLayout->addWidget(error);
        form->addRow(label, cell);
        m_rows.push_back(Row{definition.key, editor, error});
    }

    auto *secretsBox = new QGroupBox(tr("Secrets (kept in the system keychain only)"), content);
    auto *secretsForm = new QFormLayout(secretsBox);
    for (SecretId id : {SecretId::HuggingFaceToken, SecretId::WandbApiKey}) {
        auto *field = new SecretField(secrets, id, secretsBox);
        secretsForm->addRow(SecretStore::displayName(id) + QLatin1Char(':'), field);
        m_secretFields.push_back(field);
        // A new or removed token applies at once: the Hub client and the account shown follow it.
        if (id == SecretId::HuggingFaceToken && status.hubAccount)
            connect(field, &SecretField::secretChanged, status.hubAccount, &HubAccount::reloadToken);
    }
    contentLayout->addWidget(secretsBox);
    if (status.hubAccount || status.skyHealth) {
        m_statusPanel = new ConnectionStatusPanel(status.hubAccount, status.skyHealth, content);
        contentLayout->insertWidget(0, m_statusPanel);
    }
    contentLayout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_buttons);

    for (const Row &row : m_rows)
        setEditorValue(row, m_settings.value(row.key));

    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (apply())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &PreferencesDialog::apply);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            &PreferencesDialog::restoreDefaults);
    resize(620, 680);
}

QWidget *PreferencesDialog::createEditor(const SettingDefinition &definition)
{
    const SettingKey key = definition.key;
    switch (definition.type) {
    case SettingType::Integer: {
        auto *spin = new QSpinBox(this);
        spin->setRange(static_cast<int>(definition.minimum), static_cast<int>(definition.maximum));
        if (key == SettingKey::AutostopIdleMinutes) {
            spin->setSuffix(tr(" min"));
        } else if (key == SettingKey::LogScrollbackLines) {
            spin->setSuffix(tr(" lines"));
            spin->setSingleStep(10'000);
            spin->setGroupSeparatorShown(true);
        }
        return spin;
    }
    case SettingType::Decimal: {
        auto *spin = new QDoubleSpinBox(this);
        spin->setRange(definition.minimum, definition.maximum);
        spin->setDecimals(2);
        if (QLatin1String(definition.name).endsWith(QLatin1String("-usd")))
            spin->setPrefix(QStringLiteral("$ "));
        else
            spin->setSingleStep(0.05);
        return spin;
    }
    case SettingType::Choice: {
        auto *combo = new QComboBox(this);
        combo->addItems(definition.choices);
        return combo;
    }
    default: {
        auto *line = new QLineEdit(this);
        line->setClearButtonEnabled(true);
        if (key == SettingKey::HubEndpoint)
            line->setPlaceholderText(tr("https://huggingface.co (default)"));
        else if (key == SettingKey::ViewerEndpoint)
            line->setPlaceholderText(tr("https://datasets-server.huggingface.co (default)"));
        else if (key == SettingKey::SkyApiServer)
            line->setPlaceholderText(tr("local API server (default)"));
        else if (definition.type == SettingType::Command)
            line->setPlaceholderText(tr("sky, found on PATH (default)"));
        else if (key == SettingKey::DefaultGpu)
            line->setPlaceholderText(tr("cheapest that fits (default)"));
        connect(line, &QLineEdit::textChanged, this, [this, key] {
            if (const Row *row = findRow(key))
                validateRow(*row);
        });
        return line;
    }
    }
}

QString PreferencesDialog::editorText(const Row &row) const
{
    if (auto *integerSpin = qobject_cast<QSpinBox *>(row.editor))
        return QString::number(integerSpin->value());
    if (auto *decimalSpin = qobject_cast<QDoubleSpinBox *>(row.editor))
        return QString::number(decimalSpin->value(), 'f', decimalSpin->decimals());
    if (auto *combo = qobject_cast<QComboBox *>(row.editor))
        return combo->currentText();
    if (auto *line = qobject_cast<QLineEdit *>(row.editor))
        return line->text();
    return {};
}

void PreferencesDialog::setEditorValue(const Row &row, const QVariant &value)
{
    if (auto *integerSpin = qobject_cast<QSpinBox *>(row.editor))
        integerSpin->setValue(value.toInt());
    else if (auto *decimalSpin = qobject_cast<QDoubleSpinBox *>(row.editor))
        decimalSpin->setValue(value.toDouble());
    else if (auto *combo = qobject_cast<QComboBox *>(row.editor))
        combo->setCurrentText(value.toString());
    else if (auto *line = qobject_cast<QLineEdit *>(row.editor))
        line->setText(value.toString());
    validateRow(row);
}

bool PreferencesDialog::validateRow(const Row &row)
{
    const SettingValidation checked = settingsschema::parse(row.key, editorText(row));
    row.error->setText(checked.error);
    row.error->setVisible(!checked.isOk());
    return checked.isOk();
}

const PreferencesDialog::Row *PreferencesDialog::findRow(SettingKey key) const
{
    for (const Row &row : m_rows) {
        if (row.key == key)
            return &row;
    }
    return nullptr;
}

bool PreferencesDialog::apply()
{
    bool allSaved = true;
    for (const Row &row : m_rows) {
        if (!validateRow(row)) {
            allSaved = false;
            continue;
        }
        const SettingValidation checked = settingsschema::parse(row.key, editorText(row));
        if (checked.value == m_settings.value(row.key))
            continue;
        if (const Status saved = m_settings.set(row.key, checked.value); !saved) {
            row.error->setText(saved.message());
            row.error->show();
            allSaved = false;
        }
    }
    return allSaved;
}

void PreferencesDialog::restoreDefaults()
{
    for (const Row &row : m_rows)
        setEditorValue(row, settingsschema::definition(row.key).defaultValue);
}

QWidget *PreferencesDialog::editor(SettingKey key) const
{
    const Row *row = findRow(key);
    return row ? row->editor : nullptr;
}

QString PreferencesDialog::errorText(SettingKey key) const
{
    const Row *row = findRow(key);
    return row && !row->error->isHidden() ? row->error->text() : QString();
}

} // namespace vibeml

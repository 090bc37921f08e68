#include "plan/ColumnMappingEditor.h"

#include "plan/PlanStyle.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace vibeml {
namespace {

const hub::DataFormat kFormats[] = {hub::DataFormat::Chat, hub::DataFormat::Instruction,
                                    hub::DataFormat::PromptCompletion, hub::DataFormat::Text};

QString formatTitle(hub::DataFormat format)
{
    switch (format) {
    case hub::DataFormat::Chat:
        return ColumnMappingEditor::tr("Chat messages");
    case hub::DataFormat::Instruction:
        return ColumnMappingEditor::tr("Instruction → output");
    case hub::DataFormat::PromptCompletion:
        return ColumnMappingEditor::tr("Prompt → completion");
    case hub::DataFormat::Text:
        return ColumnMappingEditor::tr("Plain text");
    case hub::DataFormat::Unknown:
        break;
    }
    return ColumnMappingEditor::tr("Not recognised");
}

} // namespace

ColumnMappingEditor::ColumnMappingEditor(QWidget *parent)
    : QWidget(parent), m_format(new QComboBox(this)), m_form(new QFormLayout), m_problem(planstyle::messageLabel(this))
{
    setAccessibleName(tr("Column mapping"));
    for (hub::DataFormat format : kFormats)
        m_format->addItem(formatTitle(format), QVariant::fromValue(static_cast<int>(format)));
    m_format->setAccessibleName(tr("Data layout"));
    auto *formatLabel = new QLabel(tr("La&yout:"), this);
    formatLabel->setBuddy(m_format);
    m_form->addRow(formatLabel, m_format);
    addRole(QStringLiteral("messages"), hub::DataFormat::Chat, tr("&Messages column:"));
    addRole(QStringLiteral("roleKey"), hub::DataFormat::Chat, tr("&Role key:"), false, true);
    addRole(QStringLiteral("contentKey"), hub::DataFormat::Chat, tr("C&ontent key:"), false, true);
    addRole(QStringLiteral("instruction"), hub::DataFormat::Instruction, tr("&Instruction column:"));
    addRole(QStringLiteral("input"), hub::DataFormat::Instruction, tr("I&nput column:"), true);
    addRole(QStringLiteral("output"), hub::DataFormat::Instruction, tr("&Output column:"));
    addRole(QStringLiteral("prompt"), hub::DataFormat::PromptCompletion, tr("P&rompt column:"));
    addRole(QStringLiteral("completion"), hub::DataFormat::PromptCompletion, tr("Co&mpletion column:"));
    addRole(QStringLiteral("text"), hub::DataFormat::Text, tr("&Text column:"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_form);
    layout->addWidget(m_problem);
    showRolesOf(hub::DataFormat::Chat);

    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        const auto format = static_cast<hub::DataFormat>(m_format->currentData().toInt());
        fillDefaults(format);
        showRolesOf(format);
        edited();
    });
}

void ColumnMappingEditor::addRole(const QString &key, hub::DataFormat format, const QString &label, bool optional,
                                  bool keyInsideMessages)
{
    auto *box = new QComboBox(this);
    box->setEditable(keyInsideMessages);
    QString name = label;
    name.remove(QLatin1Char('&'));
    name.chop(1); // the colon
    box->setAccessibleName(name);
    auto *labelWidget = new QLabel(label, this);
    labelWidget->setBuddy(box);
    m_form->addRow(labelWidget, box);
    m_roles.append({key, format, box, optional, keyInsideMessages});
    if (keyInsideMessages)
        connect(box, &QComboBox::currentTextChanged, this, [this] {
            if (!m_updating)
                edited();
        });
    else
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_updating)
                edited();
        });
}

QComboBox *ColumnMappingEditor::roleBox(const QString &role) const
{
    for (const Role &r : m_roles) {
        if (r.key == role)
            return r.box;
    }
    return nullptr;
}

void ColumnMappingEditor::showRolesOf(hub::DataFormat format)
{
    for (const Role &role : std::as_const(m_roles))
        m_form->setRowVisible(role.box, role.format == format);
}

void ColumnMappingEditor::setBoxValue(QComboBox *box, const QString &value)
{
    const int index = box->findData(value);
    if (index >= 0)
        box->setCurrentIndex(index);
    else if (box->isEditable())
        box->setCurrentText(value);
    else
        box->setCurrentIndex(0);
}

void ColumnMappingEditor::setMapping(const QList<hub::DatasetColumn> &columns, const hub::ColumnMapping &mapping)
{
    m_updating = true;
    m_columns = columns;
    for (const Role &role : std::as_const(m_roles)) {
        role.box->clear();
        if (role.keyInsideMessages) {
            const QStringList keys = role.key == QLatin1String("roleKey")
                                         ? QStringList{QStringLiteral("role"), QStringLiteral("from")}
                                         : QStringList{QStringLiteral("content"), QStringLiteral("value")};
            for (const QString &key : keys)
                role.box->addItem(key, key);
            continue;
        }
        if (role.optional)
            role.box->addItem(tr("(none)"), QString());
        for (const hub::DatasetColumn &column : columns)
            role.box->addItem(QStringLiteral("%1  (%2)").arg(column.name, column.type.describe()), column.name);
    }
    const hub::DataFormat format = mapping.format == hub::DataFormat::Unknown ? hub::DataFormat::Text : mapping.format;
    m_format->setCurrentIndex(m_format->findData(static_cast<int>(format)));
    const std::pair<QString, QString> values[] = {
        {QStringLiteral("messages"), mapping.messages},       {QStringLiteral("roleKey"), mapping.roleKey},
        {QStringLiteral("contentKey"), mapping.contentKey},   {QStringLiteral("instruction"), mapping.instruction},
        {QStringLiteral("input"), mapping.input},             {QStringLiteral("output"), mapping.output},
        {QStringLiteral("prompt"), mapping.prompt},           {QStringLiteral("completion"), mapping.completion},
        {QStringLiteral("text"), mapping.text}};
    for (const auto &[key, value] : values) {
        QComboBox *box = roleBox(key);
        if (!value.isEmpty())
            setBoxValue(box, value);
        else if (box->isEditable())
            box->setCurrentIndex(0);
    }
    if (mapping.format == hub::DataFormat::Unknown)
        fillDefaults(format);
    showRolesOf(format);
    m_updating = false;
    const QString why = problem();
    planstyle::showMessage(m_problem, why, planstyle::Tone::Problem);
}

void ColumnMappingEditor::fillDefaults(hub::DataFormat format)
{
    // A newly chosen layout starts from distinct columns, in the dataset's order.
    QStringList taken;
    for (const Role &role : std::as_const(m_roles)) {
        if (role.format != format || role.keyInsideMessages || role.optional)
            continue;
        for (int i = 0; i < role.box->count(); ++i) {
            const QString column = role.box->itemData(i).toString();
            if (!column.isEmpty() && !taken.contains(column)) {
                role.box->setCurrentIndex(i);
                taken.append(column);
                break;
            }
        }
    }
}

hub::ColumnMapping ColumnMappingEditor::mapping() const
{
    hub::ColumnMapping mapping;
    mapping.format = static_cast<hub::DataFormat>(m_format->currentData().toInt());
    const auto value = [this](const QString &key) {
        const QComboBox *box = roleBox(key);
        return box->isEditable() ? box->currentText().trimmed() : box->currentData().toString();
    };
    switch (mapping.format) {
    case hub::DataFormat::Chat:
        mapping.messages = value(QStringLiteral("messages"));
        mapping.roleKey = value(QStringLiteral("roleKey"));
        mapping.contentKey = value(QStringLiteral("contentKey"));
        break;
    case hub::DataFormat::Instruction:
        mapping.instruction = value(QStringLiteral("instruction"));
        mapping.input = value(QStringLiteral("input"));
        mapping.output = value(QStringLiteral("output"));
        break;
    case hub::DataFormat::PromptCompletion:
        mapping.prompt = value(QStringLiteral("prompt"));
        mapping.completion = value(QStringLiteral("completion"));
        break;
    case hub::DataFormat::Text:
        mapping.text = value(QStringLiteral("text"));
        break;
    case hub::DataFormat::Unknown:
        break;
    }
    return mapping;
}

QString ColumnMappingEditor::problem() const
{
    return hub::mappingProblem(mapping(), m_columns).value_or(QString());
}

void ColumnMappingEditor::edited()
{
    const QString why = problem();
    planstyle::showMessage(m_problem, why, planstyle::Tone::Problem);
    Q_EMIT mappingEdited(mapping());
}

} // namespace vibeml

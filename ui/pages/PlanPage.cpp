#include "pages/PlanPage.h"

#include "config/Settings.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace vibeml {

PlanPage::PlanPage(Settings &settings, QWidget *parent) : QWidget(parent), m_settings(settings)
{
    setAccessibleName(tr("Plan a run"));

    auto *intro = new QLabel(tr("<h2>Plan a run</h2>"
                                "<p>Pick a model and a dataset from the Hugging Face Hub, choose LoRA, QLoRA or a "
                                "full fine-tune, and compare what the whole run costs on every Nebius GPU that fits, "
                                "before anything is launched.</p>"),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);

    auto *defaultsBox = new QGroupBox(tr("Every new plan starts from these defaults"), this);
    auto *form = new QFormLayout(defaultsBox);
    const SettingKey shown[] = {SettingKey::DefaultRegion,       SettingKey::DefaultGpu,       SettingKey::SpotPreference,
                                SettingKey::AutostopIdleMinutes, SettingKey::TeardownPolicy,   SettingKey::PerJobBudgetUsd,
                                SettingKey::MonthlyBudgetUsd,    SettingKey::ApprovalThresholdUsd};
    for (SettingKey key : shown) {
        auto *value = new QLabel(defaultsBox);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *label = new QLabel(settingsschema::label(key) + QLatin1Char(':'), defaultsBox);
        label->setToolTip(settingsschema::summary(key));
        value->setToolTip(settingsschema::summary(key));
        value->setAccessibleName(settingsschema::label(key));
        value->setAccessibleDescription(settingsschema::summary(key));
        form->addRow(label, value);
        m_values.insert(key, value);
        showValue(key);
    }
    auto *change = new QPushButton(tr("Change &defaults…"), defaultsBox);
    connect(change, &QPushButton::clicked, this, &PlanPage::preferencesRequested);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(change);
    buttonRow->addStretch(1);
    form->addRow(buttonRow);
    defaultsBox->setMaximumWidth(640);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(defaultsBox);
    layout->addStretch(1);

    connect(&m_settings, &Settings::changed, this, [this](SettingKey key) {
        if (m_values.contains(key))
            showValue(key);
    });
}

void PlanPage::showValue(SettingKey key)
{
    const QVariant value = m_settings.value(key);
    QString text = settingsschema::toText(key, value);
    if (key == SettingKey::DefaultGpu && text.isEmpty())
        text = tr("the cheapest that fits");
    else if (settingsschema::definition(key).type == SettingType::Decimal)
        text = QStringLiteral("$%1").arg(value.toDouble(), 0, 'f', 2);
    else if (key == SettingKey::AutostopIdleMinutes)
        text = tr("%1 min").arg(value.toInt());
    m_values.value(key)->setText(text);
}

QString PlanPage::shownValue(SettingKey key) const
{
    const QLabel *label = m_values.value(key);
    return label ? label->text() : QString();
}

} // namespace vibeml

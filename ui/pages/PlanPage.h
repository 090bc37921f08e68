#pragma once

#include "config/SettingsSchema.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace vibeml {

class Settings;

// Where a run is planned. Shows the defaults every new plan starts from, live from settings.
class PlanPage : public QWidget
{
    Q_OBJECT

public:
    explicit PlanPage(Settings &settings, QWidget *parent = nullptr);

    QString shownValue(SettingKey key) const;

Q_SIGNALS:
    void preferencesRequested();

private:
    void showValue(SettingKey key);

    Settings &m_settings;
    QHash<SettingKey, QLabel *> m_values;
};

} // namespace vibeml

#pragma once

#include "config/SettingsSchema.h"

#include <QDialog>

#include <vector>

class QLabel;
class QDialogButtonBox;

namespace vibeml {

class ConnectionStatusPanel;
class HubAccount;
class SecretStore;
class SkyHealth;
class SecretField;
class Settings;

// Preferences built from the settings schema: one typed editor per user-visible setting,
// each explaining a bad value inline as it is typed, plus the keychain entries.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    // Where the account and tool status come from; without them that section is left out.
    struct StatusSources
    {
        HubAccount *hubAccount = nullptr;
        SkyHealth *skyHealth = nullptr;
    };

    PreferencesDialog(Settings &settings, SecretStore &secrets, QWidget *parent = nullptr);
    PreferencesDialog(Settings &settings, SecretStore &secrets, const StatusSources &status, QWidget *parent = nullptr);

    // Saves every valid edited value; false (with the reasons shown) if any field is invalid
    // or could not be saved.
    bool apply();
    void restoreDefaults();

    QWidget *editor(SettingKey key) const;
    QString errorText(SettingKey key) const;
    SecretField *secretField(int index) const { return m_secretFields.at(static_cast<std::size_t>(index)); }
    ConnectionStatusPanel *statusPanel() const { return m_statusPanel; }

private:
    struct Row
    {
        SettingKey key;
        QWidget *editor;
        QLabel *error;
    };

    QWidget *createEditor(const SettingDefinition &definition);
    QString editorText(const Row &row) const;
    void setEditorValue(const Row &row, const QVariant &value);
    bool validateRow(const Row &row);
    const Row *findRow(SettingKey key) const;

    Settings &m_settings;
    std::vector<Row> m_rows;
    std::vector<SecretField *> m_secretFields;
    QDialogButtonBox *m_buttons;
    ConnectionStatusPanel *m_statusPanel = nullptr;
};

} // namespace vibeml

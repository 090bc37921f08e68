#pragma once

#include "cost/TrainingPresets.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace vibeml {

// Step three of a plan: how to train. Every value is checked as it is typed, with the reason
// shown under the field (core's rules, the same as the CLI's). Choosing a method, or a model of
// another size class, starts from core's preset for that method and size.
class TrainingSettingsForm : public QWidget
{
    Q_OBJECT

public:
    explicit TrainingSettingsForm(QWidget *parent = nullptr);

    // The chosen model's size, for presets (0: unknown).
    void setModelParameters(qint64 parameters);
    void applyPreset();

    // The settings when every field is valid.
    std::optional<cost::TrainingSettings> settings() const;
    bool isValid() const { return m_invalid.isEmpty() && m_outputProblem.isEmpty(); }
    // Each invalid field's reason, for the plan's status line.
    QStringList problems() const;

    QString outputRepo() const;
    bool outputPrivate() const;
    QString downloadFolder() const;
    bool useWandb() const;

    QLineEdit *field(cost::SettingsField field) const { return m_fields.value(field); }
    QLabel *message(cost::SettingsField field) const { return m_messages.value(field); }
    QComboBox *methodBox() const { return m_method; }
    QComboBox *lengthUnitBox() const { return m_lengthUnit; }
    QLineEdit *outputRepoField() const { return m_outputRepo; }
    QLabel *outputMessage() const { return m_outputMessage; }
    QLabel *presetLabel() const { return m_presetLabel; }

Q_SIGNALS:
    void settingsChanged();

private:
    QLineEdit *addField(QFormLayout *form, cost::SettingsField field, const QString &label, const QString &help);
    void fieldEdited(cost::SettingsField field);
    void showAdvice();
    void showAllFields();
    void lengthUnitChanged();
    void methodChanged();
    void checkOutput();

    cost::TrainingSettings m_settings;
    qint64 m_parameters = 0;
    QComboBox *m_method;
    QComboBox *m_lengthUnit;
    QLabel *m_lengthLabel = nullptr;
    QHash<cost::SettingsField, QLineEdit *> m_fields;
    QHash<cost::SettingsField, QLabel *> m_messages;
    QHash<cost::SettingsField, QString> m_invalid;
    QWidget *m_loraBox;
    QLabel *m_presetLabel;
    QPushButton *m_resetPreset;
    QLineEdit *m_outputRepo;
    QCheckBox *m_private;
    QLineEdit *m_downloadFolder;
    QCheckBox *m_wandb;
    QLabel *m_outputMessage;
    QString m_outputProblem;
    bool m_updating = false;
};

} // namespace vibeml

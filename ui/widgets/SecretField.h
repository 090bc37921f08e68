#pragma once

#include "secrets/SecretStore.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace vibeml {

// One keychain entry in the preferences: whether it is stored, a masked field to replace it,
// and a button to remove it. The secret itself is never shown.
class SecretField : public QWidget
{
    Q_OBJECT

public:
    SecretField(SecretStore &store, SecretId id, QWidget *parent = nullptr);

    void refresh();
    QString statusText() const;
    QLineEdit *input() const { return m_input; }

Q_SIGNALS:
    void busyChanged(bool busy);
    void stateKnown(); // after each keychain answer (for tests and screen readers)
    void secretChanged(); // a new secret was saved, or the stored one removed

private:
    void save();
    void removeStored();
    void setBusy(bool busy, const QString &status);
    void showStored(bool stored);

    SecretStore &m_store;
    SecretId m_id;
    QLabel *m_status;
    QLineEdit *m_input;
    QPushButton *m_saveButton;
    QPushButton *m_removeButton;
    bool m_stored = false;
};

} // namespace vibeml

#include "widgets/SecretField.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace vibeml {

SecretField::SecretField(SecretStore &store, SecretId id, QWidget *parent)
    : QWidget(parent), m_store(store), m_id(id), m_status(new QLabel(this)), m_input(new QLineEdit(this)),
      m_saveButton(new QPushButton(tr("Save to keychain"), this)), m_removeButton(new QPushButton(tr("Remove"), this))
{
    const QString name = SecretStore::displayName(id);
    setAccessibleName(name);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_input->setEchoMode(QLineEdit::Password);
    m_input->setClearButtonEnabled(true);
    m_input->setAccessibleName(tr("New %1").arg(name));
    m_input->setPlaceholderText(id == SecretId::HuggingFaceToken ? tr("Paste a token (hf_…)") : tr("Paste the key"));
    m_saveButton->setAccessibleName(tr("Save %1 to keychain").arg(name));
    m_removeButton->setAccessibleName(tr("Remove %1 from keychain").arg(name));
    m_saveButton->setEnabled(false);
    connect(m_input, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_saveButton->setEnabled(!text.trimmed().isEmpty()); });
    connect(m_input, &QLineEdit::returnPressed, this, &SecretField::save);
    connect(m_saveButton, &QPushButton::clicked, this, &SecretField::save);
    connect(m_removeButton, &QPushButton::clicked, this, &SecretField::removeStored);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status, 0, 0, 1, 3);
    layout->addWidget(m_input, 1, 0);
    layout->addWidget(m_saveButton, 1, 1);
    layout->addWidget(m_removeButton, 1, 2);
    refresh();
}

QString SecretField::statusText() const
{
    return m_status->text();
}

void SecretField::refresh()
{
    setBusy(true, tr("Checking the keychain…"));
    m_store.read(m_id, this, [this](const Result<QString, SecretError> &result) {
        setBusy(false, {});
        if (result.isOk())
            showStored(!result.value().isEmpty());
        else if (result.error().kind == SecretError::Kind::NotFound)
            showStored(false);
        else
            m_status->setText(result.error().message);
        Q_EMIT stateKnown();
    });
}

void SecretField::save()
{
    const QString secret = m_input->text().trimmed();
    if (secret.isEmpty())
        return;
    setBusy(true, tr("Saving to the keychain…"));
    m_store.write(m_id, secret, this, [this](const std::optional<SecretError> &error) {
        setBusy(false, {});
        if (error) {
            m_status->setText(error->message);
        } else {
            m_input->clear();
            showStored(true);
            Q_EMIT secretChanged();
        }
        Q_EMIT stateKnown();
    });
}

void SecretField::removeStored()
{
    setBusy(true, tr("Removing from the keychain…"));
    m_store.remove(m_id, this, [this](const std::optional<SecretError> &error) {
        setBusy(false, {});
        if (error)
            m_status->setText(error->message);
        else {
            showStored(false);
            Q_EMIT secretChanged();
        }
        Q_EMIT stateKnown();
    });
}

void SecretField::setBusy(bool busy, const QString &status)
{
    if (busy)
        m_status->setText(status);
    m_input->setEnabled(!busy);
    m_saveButton->setEnabled(!busy && !m_input->text().trimmed().isEmpty());
    m_removeButton->setEnabled(!busy && m_stored);
    Q_EMIT busyChanged(busy);
}

void SecretField::showStored(bool stored)
{
    m_stored = stored;
    m_removeButton->setEnabled(stored);
    m_status->setText(stored ? tr("Stored in the system keychain.") : tr("Not stored in the keychain."));
}

} // namespace vibeml

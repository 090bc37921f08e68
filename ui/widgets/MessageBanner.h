#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace vibeml {

// An inline, dismissible message at the top of a window or panel: problems are shown where
// they happened instead of in a modal box (see KeePassXC's MessageWidget, KDE's KMessageWidget).
class MessageBanner : public QFrame
{
    Q_OBJECT

public:
    enum class Severity { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(const QString &text, Severity severity);
    QString text() const;
    Severity severity() const { return m_severity; }

Q_SIGNALS:
    void dismissed();

private:
    void applySeverityStyle();

    QLabel *m_icon;
    QLabel *m_label;
    QToolButton *m_closeButton;
    Severity m_severity = Severity::Information;
};

} // namespace vibeml

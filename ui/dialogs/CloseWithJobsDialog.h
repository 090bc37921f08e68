#pragma once

#include "jobs/JobRecord.h"

#include <QDialog>
#include <QHash>

class QAbstractButton;

namespace vibeml {

// Asked when the window closes while jobs are live: keep monitoring in the tray (only offered
// where there is a tray), hand the jobs over to `vibeml monitor`, or quit. Whatever the choice,
// the clusters keep running and billing; the next start of VibeML picks them up again.
class CloseWithJobsDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Choice { Cancel, KeepInTray, HandOver, Quit };

    CloseWithJobsDialog(const QList<jobs::JobRecord> &liveJobs, bool trayAvailable, const QDateTime &now,
                        QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    // nullptr for a choice that is not offered.
    QAbstractButton *button(Choice choice) const { return m_buttons.value(choice); }
    QString message() const { return m_message; }

    // Picks `choice` as if its button was clicked (keyboard and tests).
    void choose(Choice choice);

private:
    Choice m_choice = Choice::Cancel;
    QHash<Choice, QAbstractButton *> m_buttons;
    QString m_message;
};

} // namespace vibeml

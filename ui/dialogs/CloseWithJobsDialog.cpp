#include "dialogs/CloseWithJobsDialog.h"

#include "cost/CostTable.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace vibeml {

CloseWithJobsDialog::CloseWithJobsDialog(const QList<jobs::JobRecord> &liveJobs, bool trayAvailable, const QDateTime &now,
                                         QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Jobs are still running"));
    setAccessibleName(tr("Jobs are still running"));
    setModal(true);

    double perHour = 0;
    double accrued = 0;
    QStringList lines;
    for (const jobs::JobRecord &job : liveJobs) {
        if (job.billingSince.isValid())
            perHour += job.pricePerHour;
        accrued += job.accruedAt(now);
        lines << tr("• %1 — %2 — %3 so far").arg(job.id, job.stateText(), cost::formatDollars(job.accruedAt(now)));
    }
    const QString count = liveJobs.size() == 1 ? tr("1 job is still running.")
                                               : tr("%1 jobs are still running.").arg(liveJobs.size());
    m_message = count + QLatin1Char(' ')
                + tr("Their clusters keep running and billing (about %1/h together, %2 so far) whatever you choose "
                     "here; VibeML picks them up again the next time it starts.")
                      .arg(cost::formatDollars(perHour), cost::formatDollars(accrued));

    auto *intro = new QLabel(m_message, this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    auto *list = new QLabel(lines.join(QLatin1Char('\n')), this);
    list->setTextFormat(Qt::PlainText);
    list->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QString choices;
    if (trayAvailable)
        choices += tr("Keep monitoring in the tray: the window closes, VibeML stays in the tray, watches the jobs, "
                      "enforces their budgets and tears their clusters down when they end.")
                   + QLatin1Char('\n');
    choices += tr("Hand over to vibeml monitor: a background VibeML monitor takes over the watching, budgets and "
                  "teardown, then this window quits.")
               + QLatin1Char('\n')
               + tr("Quit: nothing watches the jobs until VibeML runs again. No budget cap is enforced and no "
                    "cluster is torn down in the meantime.");
    auto *explanation = new QLabel(choices, this);
    explanation->setWordWrap(true);
    explanation->setTextFormat(Qt::PlainText);

    auto *box = new QDialogButtonBox(this);
    const auto add = [this, box](Choice choice, const QString &text, QDialogButtonBox::ButtonRole role, const QString &name) {
        QPushButton *button = box->addButton(text, role);
        button->setObjectName(name);
        button->setAccessibleName(QString(text).remove(QLatin1Char('&')));
        m_buttons.insert(choice, button);
        connect(button, &QPushButton::clicked, this, [this, choice] { choose(choice); });
        return button;
    };
    QPushButton *preferred = nullptr;
    if (trayAvailable)
        preferred = add(Choice::KeepInTray, tr("&Keep monitoring in the tray"), QDialogButtonBox::AcceptRole, QStringLiteral("keepInTray"));
    QPushButton *handOver = add(Choice::HandOver, tr("&Hand over to vibeml monitor"), QDialogButtonBox::AcceptRole,
                                QStringLiteral("handOver"));
    add(Choice::Quit, tr("&Quit; jobs keep running unwatched"), QDialogButtonBox::DestructiveRole, QStringLiteral("quit"));
    add(Choice::Cancel, tr("Cancel"), QDialogButtonBox::RejectRole, QStringLiteral("cancel"));
    (preferred ? preferred : handOver)->setDefault(true);
    (preferred ? preferred : handOver)->setFocus();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(list);
    layout->addWidget(explanation);
    layout->addWidget(box);
}

void CloseWithJobsDialog::choose(Choice choice)
{
    if (choice != Choice::Cancel && !m_buttons.contains(choice))
        return;
    m_choice = choice;
    done(choice == Choice::Cancel ? QDialog::Rejected : QDialog::Accepted);
}

} // namespace vibeml

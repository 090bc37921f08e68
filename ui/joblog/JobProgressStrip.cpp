#include "joblog/JobProgressStrip.h"

#include "cost/CostTable.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include <cmath>
#include <limits>

namespace vibeml {
namespace {

// QProgressBar counts in int; a run's steps fit, but a damaged progress line must not overflow.
int clampToInt(qint64 value)
{
    return static_cast<int>(std::clamp<qint64>(value, 0, std::numeric_limits<int>::max()));
}

} // namespace

JobProgressStrip::JobProgressStrip(QWidget *parent)
    : QWidget(parent), m_bar(new QProgressBar(this)), m_eta(new QLabel(this)), m_cost(new QLabel(this))
{
    setAccessibleName(tr("Training progress"));
    m_bar->setAccessibleName(tr("Training steps done"));
    m_eta->setAccessibleName(tr("Time left"));
    m_cost->setAccessibleName(tr("Cost so far"));
    m_bar->setTextVisible(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_eta);
    layout->addWidget(m_cost);
    clear();
}

QString JobProgressStrip::formatDuration(double seconds)
{
    const qint64 total = std::llround(std::max(0.0, seconds));
    if (total < 60)
        return tr("%1s").arg(total);
    if (total < 3600)
        return tr("%1 min").arg(total / 60);
    return tr("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

void JobProgressStrip::clear()
{
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setFormat(tr("Waiting for the first step"));
    m_eta->clear();
    m_cost->clear();
}

void JobProgressStrip::setProgress(const jobs::TrainingProgress &progress)
{
    if (progress.isEmpty()) {
        m_bar->setRange(0, 1);
        m_bar->setValue(0);
        m_bar->setFormat(tr("Waiting for the first step"));
        m_eta->clear();
        return;
    }
    if (progress.totalSteps > 0) {
        m_bar->setRange(0, clampToInt(progress.totalSteps));
        m_bar->setValue(clampToInt(std::min(progress.step, progress.totalSteps)));
        m_bar->setFormat(tr("Step %L1 of %L2 (%p%)").arg(progress.step).arg(progress.totalSteps));
    } else {
        m_bar->setRange(0, 1);
        m_bar->setValue(progress.done ? 1 : 0);
        m_bar->setFormat(tr("Step %L1").arg(progress.step));
    }
    m_bar->setToolTip(progress.summary());
    if (!progress.errorKind.isEmpty())
        m_eta->setText(tr("Failed (%1)").arg(progress.errorKind));
    else if (progress.done)
        m_eta->setText(progress.stoppedEarly ? tr("Stopped at the runtime limit") : tr("Finished"));
    else if (progress.etaSeconds && *progress.etaSeconds > 0)
        m_eta->setText(tr("ETA %1").arg(formatDuration(*progress.etaSeconds)));
    else
        m_eta->clear();
}

void JobProgressStrip::setCost(double accruedUsd, std::optional<double> capUsd)
{
    if (capUsd && *capUsd > 0) {
        const bool reached = accruedUsd >= *capUsd;
        m_cost->setText(reached ? tr("accrued %1 of cap %2: cap reached").arg(cost::formatDollars(accruedUsd), cost::formatDollars(*capUsd))
                                : tr("accrued %1 of cap %2").arg(cost::formatDollars(accruedUsd), cost::formatDollars(*capUsd)));
        m_cost->setToolTip(tr("What the job has cost so far, and the most it may cost"));
    } else {
        m_cost->setText(tr("accrued %1").arg(cost::formatDollars(accruedUsd)));
        m_cost->setToolTip(QString());
    }
}

QString JobProgressStrip::progressText() const
{
    return m_bar->text();
}

QString JobProgressStrip::etaText() const
{
    return m_eta->text();
}

QString JobProgressStrip::costText() const
{
    return m_cost->text();
}

int JobProgressStrip::value() const
{
    return m_bar->value();
}

int JobProgressStrip::maximum() const
{
    return m_bar->maximum();
}

} // namespace vibeml

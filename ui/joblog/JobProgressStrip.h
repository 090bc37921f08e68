#pragma once

#include "jobs/TrainingProgress.h"

#include <QWidget>

#include <optional>

class QLabel;
class QProgressBar;

namespace vibeml {

// One line above a running job's log: a progress bar with step / total steps, the time left
// from the script's own estimate, and the cost meter ("accrued $4.10 of cap $50.00").
class JobProgressStrip : public QWidget
{
    Q_OBJECT

public:
    explicit JobProgressStrip(QWidget *parent = nullptr);

    void setProgress(const vibeml::jobs::TrainingProgress &progress);
    void setCost(double accruedUsd, std::optional<double> capUsd);
    void clear();

    QString progressText() const;
    QString etaText() const;
    QString costText() const;
    int value() const;
    int maximum() const;

    static QString formatDuration(double seconds); // "45s", "12 min", "3 h 05 min"

private:
    QProgressBar *m_bar;
    QLabel *m_eta;
    QLabel *m_cost;
};

} // namespace vibeml

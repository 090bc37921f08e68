#pragma once

#include "joblog/LogFileTail.h"
#include "joblog/MetricPoint.h"
#include "jobs/TrainingProgress.h"

#include <QList>
#include <QTimer>

#include <QWidget>

#include <optional>

namespace vibeml {

class JobLogModel;
class JobLogView;
class JobProgressStrip;
class LossChartView;

// Everything about one running job's output: the progress strip and cost meter on top, the live
// log beside the loss / learning-rate chart. Give it the job's log file (<bundle>/logs/train.log);
// it tails the file (read and decoded on a thread of its own), feeds the log view, and draws
// the curve from the script's progress lines.
class JobLogPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kChartRefreshMs = 250;

    explicit JobLogPanel(QWidget *parent = nullptr);
    ~JobLogPanel() override;

    // Starts over on another job's log; an empty path shows nothing.
    void setLogFile(const QString &path);
    QString logFile() const { return m_tail.path(); }

    // Progress known elsewhere (the journal); the newer of it and the log's own progress shows.
    void setProgress(const vibeml::jobs::TrainingProgress &progress);
    void setCost(double accruedUsd, std::optional<double> capUsd);
    void setScrollback(qsizetype lines);

    const vibeml::jobs::TrainingProgress &progress() const { return m_progress; }
    JobLogModel *model() const { return m_model; }
    JobLogView *logView() const { return m_view; }
    LossChartView *chart() const { return m_chart; }
    JobProgressStrip *progressStrip() const { return m_strip; }
    joblog::LogTailReader &tail() { return m_tail; }

private:
    void onProgressEvents(const QList<vibeml::jobs::ProgressEvent> &events);
    void refreshChart();
    void restart();

    joblog::LogTailReader m_tail;
    JobLogModel *m_model;
    JobLogView *m_view;
    LossChartView *m_chart;
    JobProgressStrip *m_strip;
    vibeml::jobs::TrainingProgress m_progress;
    QList<vibeml::jobs::MetricPoint> m_pendingPoints; // for the chart's next refresh
    QTimer m_chartRefresh;
};

} // namespace vibeml

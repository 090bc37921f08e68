#include "joblog/JobLogPanel.h"

#include "joblog/JobLogModel.h"
#include "joblog/JobLogView.h"
#include "joblog/JobProgressStrip.h"
#include "joblog/LogIngest.h"
#include "joblog/LossChart.h"

#include <QSplitter>
#include <QVBoxLayout>

namespace vibeml {

JobLogPanel::JobLogPanel(QWidget *parent)
    : QWidget(parent), m_model(new JobLogModel(this)), m_view(new JobLogView(this)), m_chart(new LossChart(this)),
      m_strip(new JobProgressStrip(this))
{
    setAccessibleName(tr("Job output"));
    m_view->setModel(m_model);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_view);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_strip);
    layout->addWidget(splitter, 1);

    connect(&m_tail, &joblog::LogFileTail::reset, this, &JobLogPanel::restart);
    connect(&m_tail, &joblog::LogFileTail::bytesRead, m_model, [this](const QByteArray &bytes) { m_model->appendBytes(bytes); });
    connect(m_model, &JobLogModel::progressEvents, this, &JobLogPanel::onProgressEvents);
}

JobLogPanel::~JobLogPanel() = default;

void JobLogPanel::setLogFile(const QString &path)
{
    m_view->setLogFilePath(path);
    m_tail.setPath(path); // emits reset(): the view, the chart and the progress start over
}

void JobLogPanel::restart()
{
    m_model->clear();
    m_chart->clear();
    m_progress = {};
    m_strip->setProgress(m_progress);
}

void JobLogPanel::setProgress(const jobs::TrainingProgress &progress)
{
    if (progress.updatedAt < m_progress.updatedAt)
        return; // the log already told us more
    m_progress = progress;
    m_strip->setProgress(m_progress);
}

void JobLogPanel::setCost(double accruedUsd, std::optional<double> capUsd)
{
    m_strip->setCost(accruedUsd, capUsd);
}

void JobLogPanel::setScrollback(qsizetype lines)
{
    m_model->setMaxLines(lines);
}

void JobLogPanel::onProgressEvents(const QList<jobs::ProgressEvent> &events)
{
    QList<jobs::MetricPoint> points;
    for (const jobs::ProgressEvent &event : events) {
        m_progress.apply(event);
        if (const std::optional<jobs::MetricPoint> point = joblog::metricPoint(event))
            points.append(*point);
    }
    m_chart->appendPoints(points);
    m_strip->setProgress(m_progress);
}

} // namespace vibeml

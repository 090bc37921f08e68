#include "joblog/JobLogPanel.h"

#include "charts/Charts.h"
#include "joblog/JobLogModel.h"
#include "joblog/JobLogView.h"
#include "joblog/JobProgressStrip.h"
#include "joblog/LogIngest.h"

#include <QSplitter>
#include <QVBoxLayout>

#include <utility>

namespace vibeml {

JobLogPanel::JobLogPanel(QWidget *parent)
    : QWidget(parent), m_model(new JobLogModel(this)), m_view(new JobLogView(this)), m_chart(charts::createLossChart(this)),
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

    // The file is read and decoded on the reader's thread; finished lines arrive here in batches.
    connect(&m_tail, &joblog::LogTailReader::reset, this, &JobLogPanel::restart);
    connect(&m_tail, &joblog::LogTailReader::linesRead, m_model, &JobLogModel::appendLines);
    m_tail.setKeepLines(m_model->maxLines()); // a backlog's front beyond the scrollback is only counted
    connect(m_model, &JobLogModel::progressEvents, this, &JobLogPanel::onProgressEvents);
    m_chartRefresh.setSingleShot(true);
    m_chartRefresh.setInterval(kChartRefreshMs);
    connect(&m_chartRefresh, &QTimer::timeout, this, &JobLogPanel::refreshChart);
}

JobLogPanel::~JobLogPanel() = default;

void JobLogPanel::setLogFile(const QString &path)
{
    m_view->setLogFilePath(path);
    m_tail.setPath(path); // emits reset(): the view, the chart and the progress start over
}

void JobLogPanel::restart()
{
    m_chartRefresh.stop();
    m_pendingPoints.clear();
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
    m_tail.setKeepLines(m_model->maxLines());
}

void JobLogPanel::onProgressEvents(const QList<jobs::ProgressEvent> &events)
{
    for (const jobs::ProgressEvent &event : events) {
        m_progress.apply(event);
        if (const std::optional<jobs::MetricPoint> point = joblog::metricPoint(event))
            m_pendingPoints.append(*point);
    }
    // The chart and the strip redraw a few times a second, not once per frame of new rows.
    if (!m_chartRefresh.isActive())
        m_chartRefresh.start();
}

void JobLogPanel::refreshChart()
{
    m_chartRefresh.stop();
    if (!m_pendingPoints.isEmpty())
        m_chart->appendPoints(std::exchange(m_pendingPoints, {}));
    m_strip->setProgress(m_progress);
}

} // namespace vibeml

#include "charts/Charts.h"

#include "common/PluginModules.h"
#include "log/Logging.h"

#include <QCoreApplication>
#include <QLabel>
#include <QVBoxLayout>

namespace vibeml::charts {
namespace {

const ChartFactory *s_linked = nullptr;
const ChartFactory *s_loaded = nullptr;
QString s_problem;

const ChartFactory *factory()
{
    if (s_linked)
        return s_linked;
    if (!s_loaded && s_problem.isEmpty()) {
        s_loaded = modules::load<ChartFactory>(QStringLiteral("vibeml-charts"), &s_problem);
        if (!s_loaded)
            log::ui()->error("No charts: {}", s_problem);
    }
    return s_loaded;
}

// Stands in for a chart when the module is missing: says so, and how to get the charts back.
QLabel *unavailableNotice(QWidget *parent)
{
    auto *label = new QLabel(QCoreApplication::translate("Charts", "Charts are unavailable: %1\nReinstalling VibeML restores them.")
                                 .arg(s_problem),
                             parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

template <typename View>
void showNotice(View *view)
{
    auto *layout = new QVBoxLayout(view);
    layout->addWidget(unavailableNotice(view));
}

class MissingCostChart final : public CostChartView
{
public:
    explicit MissingCostChart(QWidget *parent) : CostChartView(parent) { showNotice(this); }
    void setEstimate(const cost::PlanEstimate &, double) override {}
    void setChosen(qsizetype) override {}
    void clear(const QString &) override {}
};

class MissingLossChart final : public LossChartView
{
public:
    explicit MissingLossChart(QWidget *parent) : LossChartView(parent) { showNotice(this); }
    void setPoints(const QList<jobs::MetricPoint> &) override {}
    void appendPoints(const QList<jobs::MetricPoint> &) override {}
    void clear() override {}
};

} // namespace

CostChartView *createCostChart(QWidget *parent)
{
    if (const ChartFactory *charts = factory())
        return charts->createCostChart(parent);
    return new MissingCostChart(parent);
}

LossChartView *createLossChart(QWidget *parent)
{
    if (const ChartFactory *charts = factory())
        return charts->createLossChart(parent);
    return new MissingLossChart(parent);
}

QString problem()
{
    return s_problem;
}

void useLinked(const ChartFactory *factory)
{
    s_linked = factory;
}

} // namespace vibeml::charts

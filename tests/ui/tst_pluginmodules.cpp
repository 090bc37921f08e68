#include "charts/Charts.h"
#include "common/PluginModules.h"
#include "cost/PlanEstimator.h"
#include "cost/TrainingPresets.h"
#include "hub/HubTransport.h"

#include "FakeHub.h"
#include "GuiDrivers.h"
#include "GuiTestMain.h"

#include <QFile>
#include <QGraphicsView>
#include <QLabel>
#include <QLibraryInfo>
#include <QProcess>
#include <QTemporaryDir>

using namespace vibeml;

namespace {

const QString kModule = QStringLiteral("vibeml-charts");

cost::PlanEstimate smallPlan()
{
    cost::ModelFacts model;
    model.id = QStringLiteral("test/model");
    model.parameters = 1'000'000'000;
    cost::DatasetFacts data;
    data.id = QStringLiteral("test/data");
    data.rows = 10'000;
    data.tokensPerRow = 400;
    return cost::priceFacts(test::bundledCatalog(), model, data, cost::preset(cost::Method::Lora, model.parameters), {}, {}, 0.0);
}

QString labelText(const QWidget &widget)
{
    QStringList texts;
    for (const QLabel *label : widget.findChildren<QLabel *>())
        texts << label->text();
    return texts.join(QLatin1Char('\n'));
}

} // namespace

// The program links neither chart nor network code: it loads them from its modules
// (libvibeml-charts.so, libvibeml-network.so), found beside it as the build tree lays them out.
class TestPluginModules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Runs first: this test program has no module beside it, as a broken install would not.
    void withoutTheModuleTheChartsSayWhyAndThePageWorks()
    {
        QWidget page;
        CostChartView *cost = charts::createCostChart(&page);
        QVERIFY(cost);
        QCOMPARE(cost->parentWidget(), &page);
        QVERIFY2(charts::problem().contains(QStringLiteral("is missing")), qPrintable(charts::problem()));
        QVERIFY(labelText(*cost).contains(QStringLiteral("Charts are unavailable")));
        QVERIFY(labelText(*cost).contains(QStringLiteral("Reinstalling VibeML")));
        // Everything a page does with a chart is accepted and ignored.
        cost->setEstimate(smallPlan(), 100.0);
        cost->setChosen(0);
        cost->clear(QStringLiteral("no plan"));

        LossChartView *loss = charts::createLossChart(&page);
        QVERIFY(loss);
        QVERIFY(labelText(*loss).contains(QStringLiteral("Charts are unavailable")));
        loss->setPoints({jobs::MetricPoint{1, 2.5, std::nullopt, std::nullopt, 0.0}});
        loss->appendPoints({});
        loss->clear();
        page.resize(600, 400);
        page.show();
        QVERIFY(!page.grab().isNull());
    }

    void theModuleDrawsBothCharts()
    {
        QString problem;
        const ChartFactory *factory = modules::load<ChartFactory>(kModule, &problem, QStringLiteral(VIBEML_MODULE_BUILD_DIR));
        QVERIFY2(factory, qPrintable(problem));
        QVERIFY(problem.isEmpty());
        // Loaded once: asking again gives the same plugin.
        QCOMPARE(modules::load<ChartFactory>(kModule, &problem, QStringLiteral(VIBEML_MODULE_BUILD_DIR)), factory);

        QWidget page;
        page.resize(900, 600);
        CostChartView *cost = factory->createCostChart(&page);
        QCOMPARE(QLatin1String(cost->metaObject()->className()), QLatin1String("vibeml::CostChart"));
        QCOMPARE(cost->findChildren<QGraphicsView *>().size(), 2); // the box chart and the scatter chart
        cost->setEstimate(smallPlan(), 50.0);
        cost->setChosen(0);
        QVERIFY(!labelText(*cost).contains(QStringLiteral("unavailable")));

        LossChartView *loss = factory->createLossChart(&page);
        QCOMPARE(QLatin1String(loss->metaObject()->className()), QLatin1String("vibeml::LossChart"));
        QList<jobs::MetricPoint> points;
        for (int step = 1; step <= 50; ++step)
            points.append(jobs::MetricPoint{step, 3.0 / step, 1e-4, std::nullopt, 0.0});
        loss->setPoints(points);
        loss->appendPoints({jobs::MetricPoint{51, 0.05, 1e-4, 0.07, 0.0}});
        page.show();
        QVERIFY(!page.grab().isNull());
        cost->clear(QStringLiteral("plan changed"));
        loss->clear();
    }

    void theNetworkModuleCarriesHubRequests()
    {
        QString problem;
        const auto *network = modules::load<hub::NetworkModule>(QStringLiteral("vibeml-network"), &problem,
                                                                QStringLiteral(VIBEML_MODULE_BUILD_DIR));
        QVERIFY2(network, qPrintable(problem));
        const std::unique_ptr<hub::HttpBackend> backend = network->createHttpBackend();
        QVERIFY(backend);
        test::FakeHub fake;
        fake.start();
        hub::HubEndpoints endpoints;
        endpoints.hub = fake.url();
        endpoints.viewer = fake.url();
        hub::HubTransport transport(backend.get());
        transport.setEndpoints(endpoints);
        transport.setToken(test::FakeHub::validToken());
        QUrl url = fake.url();
        url.setPath(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        std::optional<hub::HttpResponse> response;
        transport.send(hub::HttpRequest{url}, nullptr, [&response](const hub::HttpResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response, 15000);
        QVERIFY(response->isSuccess());
        QVERIFY(response->tokenSent);
        QVERIFY(response->body.contains("Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(fake.requests().last().authorization, QByteArray("Bearer ") + test::FakeHub::validToken().toUtf8());
    }

    void theProgramLinksNeitherQtChartsNorQtNetwork()
    {
        // What the modules are for: the loader maps neither (nor what they bring) before the
        // window's first frame.
        QProcess readelf;
        readelf.start(QStringLiteral("readelf"), {QStringLiteral("--dynamic"), QStringLiteral(VIBEML_EXECUTABLE)});
        if (!readelf.waitForFinished(30000) || readelf.exitCode() != 0)
            QSKIP("readelf (binutils) is not available");
        const QByteArray dynamic = readelf.readAllStandardOutput();
        QVERIFY(dynamic.contains("(NEEDED)"));
        QVERIFY(dynamic.contains("libQt6Widgets"));
        for (const char *library : {"libQt6Charts", "libQt6Network", "libQt6OpenGL"})
            QVERIFY2(!dynamic.contains(library), library);
    }

    void aFileThatIsNotAModuleIsRefused()
    {
        QTemporaryDir folder;
        QFile fake(folder.filePath(QStringLiteral("libvibeml-charts.so")));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write(QByteArray(4096, '\x7f'));
        fake.close();
        QString problem;
        QVERIFY(!modules::load<ChartFactory>(kModule, &problem, folder.path()));
        QVERIFY2(problem.contains(QStringLiteral("could not be loaded")), qPrintable(problem));
    }

    void anotherPluginIsNotTakenForTheCharts()
    {
        // A real Qt plugin, but not VibeML's: it loads, and is refused for what it is not.
        const QString gif = QLibraryInfo::path(QLibraryInfo::PluginsPath) + QStringLiteral("/imageformats/libqgif.so");
        if (!QFile::exists(gif))
            QSKIP("Qt's GIF plugin is not installed");
        QTemporaryDir folder;
        QVERIFY(QFile::copy(gif, folder.filePath(QStringLiteral("libvibeml-charts.so"))));
        QString problem;
        QVERIFY(!modules::load<ChartFactory>(kModule, &problem, folder.path()));
        QVERIFY2(problem.contains(QStringLiteral("not the module VibeML expects")), qPrintable(problem));
    }
};

VIBEML_TEST_MAIN_GUI(TestPluginModules)

#include "tst_pluginmodules.moc"

// Issue 9 item 5: the Hub pickers against a slow network.
//
// The real ModelPicker (ui/plan) on a real HubClient, HubTransport and on-disk HubCache, against
// the loopback fake Hub (tests/fakes/FakeHub) with 150 ms injected latency on every answer,
// offscreen. A 12-character query ("llama-3.1-8b") is typed into the picker's search field at
// 20 keys/s (one QTest key click every 50 ms, on a wall-clock schedule). Measured:
//   * search requests the fake received for the typing (target ≤ 2);
//   * last key → results shown: until the results table has painted after searchFinished
//     (target ≤ the picker's debounce + one measured round trip + 50 ms);
//   * the same query typed again after clearing the field: last key → results shown (target
//     ≤ 5 ms: answered from the cache, without waiting for the debounce or the network).
// "One round trip" is measured in the same run: a plain QNetworkAccessManager GET of the same
// search URL from the same fake (median of the runs). Every run has a fresh cache.

#include "BenchSupport.h"

#include "plan/HubSearchBox.h"
#include "plan/HubSearchModel.h"
#include "plan/ModelPicker.h"

#include "HubTestRig.h"
#include "TestSupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QNetworkReply>
#include <QTableView>
#include <QTest>

#include <functional>

using namespace vibeml;
using namespace vibeml::bench;
using namespace std::chrono_literals;

namespace {

constexpr auto kLatency = 150ms;
constexpr int kKeyIntervalMs = 50; // 20 keys/s
const QString kQuery = QStringLiteral("llama-3.1-8b");

int searchRequests(const test::FakeHub &fake)
{
    int count = 0;
    for (const test::FakeHub::Request &request : fake.requests())
        count += request.path == QLatin1String("/api/models") ? 1 : 0;
    return count;
}

// Records when the watched widget has finished a paint: a zero timer queued from its Paint event
// runs after the paint is done.
class PaintClock : public QObject
{
public:
    explicit PaintClock(const QElapsedTimer &clock) : m_clock(clock) {}
    qint64 lastPaintDoneNs() const { return m_lastNs; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            QTimer::singleShot(0, this, [this] { m_lastNs = m_clock.nsecsElapsed(); });
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer &m_clock;
    qint64 m_lastNs = -1;
};

// Runs the event loop until condition() holds, looking after every event (QTest::qWaitFor sleeps
// 10 ms between looks, too coarse here); a 1 ms timer keeps the loop waking up. False on timeout.
bool spinUntil(const std::function<bool()> &condition, int timeoutMs)
{
    QTimer wake;
    wake.start(1);
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.hasExpired(timeoutMs))
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// Types text into the field at 20 keys/s; returns when the last key was pressed (ns on clock).
qint64 typeAt20KeysPerSecond(QLineEdit *field, const QString &text, const QElapsedTimer &clock)
{
    const qint64 start = clock.nsecsElapsed();
    qint64 last = start;
    for (int i = 0; i < text.size(); ++i) {
        const qint64 due = start + qint64(i) * kKeyIntervalMs * 1'000'000;
        while (clock.nsecsElapsed() < due)
            QCoreApplication::processEvents(QEventLoop::AllEvents, int(std::max<qint64>(1, (due - clock.nsecsElapsed()) / 1'000'000)));
        last = clock.nsecsElapsed(); // the key is pressed now; handling it counts towards "shown"
        QTest::keyClick(field, text.at(i).toLatin1());
    }
    return last;
}

// Waits for searchFinished after `since`, then for the results table's next paint; returns the
// time the results were shown (ns on clock), or -1.
qint64 waitUntilShown(PaintClock &paints, const QElapsedTimer &clock, const int &finishedCount, int before)
{
    if (finishedCount <= before && !spinUntil([&] { return finishedCount > before; }, 5000))
        return -1;
    const qint64 finishedAt = clock.nsecsElapsed();
    if (!spinUntil([&] { return paints.lastPaintDoneNs() >= finishedAt; }, 2000))
        return finishedAt; // nothing repainted (cannot happen with a visible table); count the model update
    return paints.lastPaintDoneNs();
}

double roundTripMs(const test::HubTestRig &rig, QNetworkAccessManager &network)
{
    QUrl url(rig.fake.url().toString() + QStringLiteral("/api/models"));
    url.setQuery(QStringLiteral("search=%1&sort=downloads&limit=30&expand[]=downloads").arg(kQuery));
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<QNetworkReply> reply(network.get(QNetworkRequest(url)));
    (void)spinUntil([&] { return reply->isFinished(); }, 5000);
    return timer.nsecsElapsed() / 1e6;
}

struct Run
{
    int requests = -1;
    double shownMs = -1;
    int repeatRequests = -1;
    double repeatMs = -1;
    double roundTripMs = -1;
    int rows = 0;
    int repeatRows = 0;
    int debounceMs = 0;
};

Run runOnce()
{
    Run run;
    test::HubTestRig rig;
    rig.fake.setLatency(kLatency);
    QNetworkAccessManager network;
    run.roundTripMs = roundTripMs(rig, network);
    rig.fake.clearRequests();

    ModelPicker picker(*rig.client, nullptr, &rig.snapshot);
    picker.resize(1100, 600);
    picker.show();
    if (!QTest::qWaitForWindowExposed(&picker))
        note(QStringLiteral("hubpickers: picker window not exposed"));
    HubSearchModel *model = picker.searchBox()->model();
    QTableView *view = picker.searchBox()->view();
    QLineEdit *field = picker.searchBox()->field();
    run.debounceMs = model->debounceInterval();
    field->setFocus();
    QTest::qWait(50);

    QElapsedTimer clock;
    clock.start();
    PaintClock paints(clock);
    view->viewport()->installEventFilter(&paints);
    int finished = 0;
    QObject::connect(model, &HubSearchModel::searchFinished, &paints, [&] { ++finished; });

    // A new query, typed.
    int before = finished;
    const qint64 lastKey = typeAt20KeysPerSecond(field, kQuery, clock);
    const qint64 shown = waitUntilShown(paints, clock, finished, before);
    run.requests = searchRequests(rig.fake);
    run.shownMs = shown < 0 ? -1 : (shown - lastKey) / 1e6;
    run.rows = model->rowCount();
    if (model->query() != kQuery)
        note(QStringLiteral("hubpickers: the model's query is “%1”").arg(model->query()));

    // The field cleared (the recent picks show), then the same query typed again.
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(field, Qt::Key_Backspace);
    QTest::qWait(600); // longer than the debounce: nothing may be pending
    rig.fake.clearRequests();
    before = finished;
    const qint64 lastKeyAgain = typeAt20KeysPerSecond(field, kQuery, clock);
    const qint64 shownAgain = waitUntilShown(paints, clock, finished, before);
    run.repeatRequests = searchRequests(rig.fake);
    run.repeatMs = shownAgain < 0 ? -1 : (shownAgain - lastKeyAgain) / 1e6;
    run.repeatRows = model->rowCount();
    return run;
}

} // namespace

int main(int argc, char *argv[])
{
    test::prepareTestProcess(); // offscreen, private HOME and XDG folders
    QApplication application(argc, argv);

    std::vector<double> requests, shown, repeatRequests, repeat, roundTrips;
    int debounceMs = 0;
    int rows = 0;
    bool allShown = true;
    for (int i = 0; i < runs(); ++i) {
        const Run run = runOnce();
        note(QStringLiteral("hubpickers run %1: %2 search request(s), shown %3 ms after the last key (%4 rows); again: %5 request(s), "
                            "%6 ms (%7 rows); round trip %8 ms")
                 .arg(i + 1).arg(run.requests).arg(run.shownMs, 0, 'f', 1).arg(run.rows).arg(run.repeatRequests)
                 .arg(run.repeatMs, 0, 'f', 2).arg(run.repeatRows).arg(run.roundTripMs, 0, 'f', 1));
        allShown = allShown && run.shownMs >= 0 && run.repeatMs >= 0 && run.rows > 0 && run.repeatRows == run.rows;
        requests.push_back(run.requests);
        shown.push_back(run.shownMs);
        repeatRequests.push_back(run.repeatRequests);
        repeat.push_back(run.repeatMs);
        roundTrips.push_back(run.roundTripMs);
        debounceMs = run.debounceMs;
        rows = run.rows;
    }
    const double maxRequests = *std::max_element(requests.begin(), requests.end());
    const double roundTrip = median(roundTrips);
    const double shownMedian = median(shown);
    const double budget = debounceMs + roundTrip + 50;
    const double repeatMedian = median(repeat);
    const double maxRepeatRequests = *std::max_element(repeatRequests.begin(), repeatRequests.end());

    reportResult(QStringLiteral("Hub pickers: search requests for a 12-character query typed at 20 keys/s (150 ms latency)"),
                 QStringLiteral("%1 (most of %2 runs)").arg(maxRequests, 0, 'f', 0).arg(requests.size()), QStringLiteral("≤ 2"),
                 maxRequests <= 2 && allShown);
    reportResult(QStringLiteral("Hub pickers: last key → results shown (%1 row%2)").arg(rows).arg(rows == 1 ? QString() : QStringLiteral("s")),
                 QStringLiteral("%1 ms (median of %2)").arg(shownMedian, 0, 'f', 0).arg(shown.size()),
                 QStringLiteral("≤ %1 ms = debounce %2 + round trip %3 + 50").arg(budget, 0, 'f', 0).arg(debounceMs).arg(roundTrip, 0, 'f', 0),
                 allShown && shownMedian <= budget);
    reportResult(QStringLiteral("Hub pickers: the same query again, last key → results shown from the cache"),
                 QStringLiteral("%1 ms (median of %2; %3 request%4)")
                     .arg(repeatMedian, 0, 'f', 2).arg(repeat.size()).arg(maxRepeatRequests, 0, 'f', 0)
                     .arg(maxRepeatRequests == 1 ? QString() : QStringLiteral("s")),
                 QStringLiteral("≤ 5 ms, no request"), allShown && repeatMedian <= 5 && maxRepeatRequests == 0);
    return 0;
}

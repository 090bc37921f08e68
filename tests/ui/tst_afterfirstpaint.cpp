#include "widgets/AfterFirstPaint.h"

#include "GuiTestMain.h"

#include <QElapsedTimer>
#include <QPointer>

using namespace vibeml;
using namespace std::chrono_literals;

class TestAfterFirstPaint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsOnceAfterTheFirstPaint()
    {
        QWidget window;
        int runs = 0;
        bool paintedFirst = false;
        runAfterFirstPaint(&window, [&] {
            ++runs;
            paintedFirst = window.isVisible();
        }, 10s);
        QCoreApplication::processEvents();
        QCOMPARE(runs, 0);
        window.resize(200, 100);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(runs, 1);
        QVERIFY(paintedFirst);
        window.update();
        QTest::qWait(50);
        QCOMPARE(runs, 1);
    }

    void askedAfterThePaintRunsOnTheNextTurn()
    {
        QWidget window;
        bool first = false;
        runAfterFirstPaint(&window, [&] { first = true; }, 10s);
        window.show();
        QTRY_VERIFY(first);
        // No further paint comes; the work still runs at once, not after the fallback.
        bool later = false;
        QElapsedTimer clock;
        clock.start();
        runAfterFirstPaint(&window, [&] { later = true; }, 10s);
        QVERIFY(!later); // never inside the call
        QTRY_VERIFY(later);
        QVERIFY(clock.elapsed() < 5000);
    }

    void aWindowNeverShownGetsItAfterTheFallback()
    {
        QWidget window;
        bool ran = false;
        runAfterFirstPaint(&window, [&] { ran = true; }, 50ms);
        QTRY_VERIFY(ran);
    }

    void nothingRunsForAWindowDestroyedFirst()
    {
        bool ran = false;
        auto *window = new QWidget;
        runAfterFirstPaint(window, [&] { ran = true; }, 20ms);
        delete window;
        QTest::qWait(100);
        QVERIFY(!ran);
    }
};

VIBEML_TEST_MAIN_GUI(TestAfterFirstPaint)

#include "tst_afterfirstpaint.moc"

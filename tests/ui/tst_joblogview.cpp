#include "joblog/JobLogModel.h"
#include "joblog/JobLogView.h"
#include "joblog/TerminalPalette.h"

#include "GuiTestMain.h"

#include <QClipboard>
#include <QLineEdit>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>

using namespace vibeml;

namespace {

QByteArray lines(int from, int count)
{
    QByteArray bytes;
    for (int i = from; i < from + count; ++i)
        bytes += "line " + QByteArray::number(i) + '\n';
    return bytes;
}

QToolButton *button(const JobLogView &view, const QString &accessibleName)
{
    for (QToolButton *candidate : view.findChildren<QToolButton *>()) {
        if (candidate->accessibleName() == accessibleName)
            return candidate;
    }
    return nullptr;
}

// What the user sees at the top of the list.
QString topLine(const JobLogView &view)
{
    return view.listView()->indexAt(QPoint(2, 2)).data().toString();
}

struct Fixture
{
    Fixture()
    {
        view.setModel(&model);
        view.resize(600, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
    }

    void append(const QByteArray &bytes)
    {
        model.appendBytes(bytes);
        model.flush();
        QCoreApplication::processEvents(); // let the view lay out the new rows
    }

    JobLogModel model;
    JobLogView view;
};

} // namespace

class TestJobLogView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsTheTailUntilScrolledUp()
    {
        Fixture f;
        QScrollBar *bar = f.view.listView()->verticalScrollBar();
        f.append(lines(0, 1000));
        QVERIFY(f.view.isFollowing());
        QTRY_COMPARE(bar->value(), bar->maximum());
        QVERIFY(bar->maximum() > 0);
        QToolButton *jump = button(f.view, QStringLiteral("Jump to the end of the log and follow it"));
        QVERIFY(jump);
        QVERIFY(!jump->isVisible());

        // The user scrolls up: the view stops following and offers the way back.
        QSignalSpy following(&f.view, &JobLogView::followingChanged);
        bar->setValue(100);
        QVERIFY(!f.view.isFollowing());
        QCOMPARE(following.count(), 1);
        QVERIFY(jump->isVisible());
        const QString reading = topLine(f.view);
        f.append(lines(1000, 500));
        QCOMPARE(bar->value(), 100);
        QCOMPARE(topLine(f.view), reading);
        QVERIFY(!f.view.isFollowing());

        QTest::mouseClick(jump, Qt::LeftButton);
        QVERIFY(f.view.isFollowing());
        QVERIFY(!jump->isVisible());
        f.append(lines(1500, 100));
        QTRY_COMPARE(bar->value(), bar->maximum());
        const QRect last = f.view.listView()->visualRect(f.model.index(f.model.rowCount() - 1));
        QVERIFY(f.view.listView()->viewport()->rect().contains(last)); // the newest line is on screen

        // Scrolling back to the very bottom resumes following too.
        bar->setValue(0);
        QVERIFY(!f.view.isFollowing());
        bar->setValue(bar->maximum());
        QVERIFY(f.view.isFollowing());
    }

    void pausedViewKeepsItsLinesWhenOldOnesLeave()
    {
        Fixture f;
        f.model.setMaxLines(500);
        f.append(lines(0, 500));
        QScrollBar *bar = f.view.listView()->verticalScrollBar();
        bar->setValue(200);
        const QString reading = topLine(f.view);
        QCOMPARE(reading, QStringLiteral("line 200"));
        f.append(lines(500, 50)); // 50 lines leave the scrollback at the front
        QCOMPARE(f.model.rowCount(), 500);
        QCOMPARE(topLine(f.view), reading);
        QVERIFY(!f.view.isFollowing());
    }

    void searchesForwardBackwardAndWraps()
    {
        Fixture f;
        f.append("alpha\nthe loss fell\nbeta\nLOSS again\ngamma\n");
        f.view.setSearchText(QStringLiteral("loss"));
        QVERIFY(f.view.findNext());
        QCOMPARE(f.view.listView()->currentIndex().row(), 1);
        QVERIFY(!f.view.isFollowing()); // a match holds the view still
        QTest::keyClick(f.view.listView(), Qt::Key_F3);
        QCOMPARE(f.view.listView()->currentIndex().row(), 3);
        QTest::keyClick(f.view.listView(), Qt::Key_F3);
        QCOMPARE(f.view.listView()->currentIndex().row(), 1); // wrapped
        QTest::keyClick(f.view.listView(), Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(f.view.listView()->currentIndex().row(), 3);

        f.view.setSearchText(QStringLiteral("nowhere"));
        QVERIFY(!f.view.findNext());
        QCOMPARE(f.view.listView()->currentIndex().row(), 3);
    }

    void ctrlFOpensTheSearchAndTypingFinds()
    {
        Fixture f;
        f.append("one\ntwo\nthree needle\nfour\n");
        f.view.listView()->setFocus();
        QTest::keyClick(f.view.listView(), Qt::Key_F, Qt::ControlModifier);
        auto *edit = f.view.findChild<QLineEdit *>();
        QVERIFY(edit && edit->isVisible());
        QTRY_VERIFY(edit->hasFocus());
        QTest::keyClicks(edit, QStringLiteral("needle"));
        QTRY_COMPARE(f.view.listView()->currentIndex().row(), 2); // incremental, after a short pause
        QTest::keyClick(edit, Qt::Key_Escape);
        QVERIFY(!edit->isVisible());
        QVERIFY(f.view.searchText().isEmpty());
    }

    void jumpsToTheFirstError()
    {
        Fixture f;
        f.append(lines(0, 300) + "Traceback (most recent call last):\n  File \"train.py\"\nValueError: bad\n" + lines(300, 300));
        QToolButton *errors = button(f.view, QStringLiteral("Jump to the first error"));
        QVERIFY(errors);
        QVERIFY(errors->isEnabled());
        QCOMPARE(errors->text(), QStringLiteral("First error (2)"));
        QTest::mouseClick(errors, Qt::LeftButton);
        QCOMPARE(f.view.listView()->currentIndex().row(), 300);
        QVERIFY(!f.view.isFollowing());
        QVERIFY(f.view.listView()->visualRect(f.view.listView()->currentIndex()).intersects(f.view.listView()->viewport()->rect()));
    }

    void copiesTheSelectedLines()
    {
        Fixture f;
        f.append("first\n\x1b[31msecond in red\x1b[0m\nthird\nfourth\n");
        QListView *list = f.view.listView();
        list->setFocus();
        list->selectionModel()->select(QItemSelection(f.model.index(1), f.model.index(2)), QItemSelectionModel::Select);
        list->selectionModel()->select(f.model.index(0), QItemSelectionModel::Select); // order of selection does not matter
        QTest::keyClick(list, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("first\nsecond in red\nthird"));
    }

    void savesTheWholeLogFromDisk()
    {
        Fixture f;
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("train.log"));
        QVERIFY(test::writeFile(source, "\x1b[33mkept\x1b[0m\n" + lines(0, 1000)));
        f.model.setMaxLines(10); // the view keeps 10 lines; the saved file has them all
        f.append(lines(0, 1000));
        f.view.setLogFilePath(source);
        QVERIFY(button(f.view, QStringLiteral("Save the whole log to a file"))->isEnabled());
        QSignalSpy saved(&f.view, &JobLogView::saveFinished);
        f.view.saveTo(dir.filePath(QStringLiteral("saved.txt")));
        QTRY_COMPARE(saved.count(), 1);
        QVERIFY2(saved.first().first().toBool(), qPrintable(saved.first().at(1).toString()));
        QCOMPARE(test::readFile(dir.filePath(QStringLiteral("saved.txt"))), "kept\n" + lines(0, 1000));
    }

    void paintsTheProgramsColours()
    {
        Fixture f;
        f.append("\x1b[41m" + QByteArray(40, ' ') + "\x1b[0m\nplain\n");
        const QImage image = f.view.listView()->viewport()->grab().toImage();
        const QColor red = TerminalPalette(f.view.listView()->palette()).background(joblog::TextColor::indexed(1));
        const QRect row = f.view.listView()->visualRect(f.model.index(0));
        int redPixels = 0;
        for (int x = row.left(); x < std::min(row.right(), image.width()); ++x)
            redPixels += image.pixelColor(x, row.center().y()) == red ? 1 : 0;
        QVERIFY2(redPixels > 100, qPrintable(QString::number(redPixels)));
    }
};

VIBEML_TEST_MAIN_GUI(TestJobLogView)
#include "tst_joblogview.moc"

#include "widgets/MeasuredHeaderView.h"

#include "GuiTestMain.h"

#include <QStandardItemModel>
#include <QTableView>

using namespace vibeml;

namespace {

// Every section's size hint from `measured` equals what a plain QHeaderView computes now.
void expectSameAsQt(const QHeaderView &measured, const QHeaderView &plain)
{
    QCOMPARE(measured.count(), plain.count());
    for (int section = 0; section < plain.count(); ++section)
        QCOMPARE(measured.sectionSizeHint(section), plain.sectionSizeHint(section));
    // Its height is the tallest section's; its width is the sections' length, which the view sets.
    QCOMPARE(measured.sizeHint().height(), plain.sizeHint().height());
}

} // namespace

class TestMeasuredHeaderView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void measuresAsQHeaderViewDoesThroughEveryChange()
    {
        QStandardItemModel model(0, 4);
        model.setHorizontalHeaderLabels({QStringLiteral("Model"), QStringLiteral("Downloads"), QStringLiteral("Likes"),
                                         QStringLiteral("Parameters")});
        QTableView view;
        auto *measured = MeasuredHeaderView::installHorizontal(&view);
        QCOMPARE(view.horizontalHeader(), measured);
        QVERIFY(measured->sectionsClickable());
        QVERIFY(measured->highlightSections());
        view.setModel(&model);
        QHeaderView plain(Qt::Horizontal);
        plain.setModel(&model);
        expectSameAsQt(*measured, plain);
        expectSameAsQt(*measured, plain); // asked again: the kept measures

        model.setHeaderData(2, Qt::Horizontal, QStringLiteral("Likes in the last thirty days"));
        expectSameAsQt(*measured, plain);
        model.setHeaderData(1, Qt::Horizontal, QFont(QStringLiteral("DejaVu Sans"), 20), Qt::FontRole);
        expectSameAsQt(*measured, plain);

        model.insertColumn(0);
        model.setHeaderData(0, Qt::Horizontal, QStringLiteral("A new first column with a long title"));
        expectSameAsQt(*measured, plain);
        model.removeColumns(0, 2);
        expectSameAsQt(*measured, plain);

        measured->setSortIndicatorShown(true);
        plain.setSortIndicatorShown(true);
        expectSameAsQt(*measured, plain);

        QFont big = measured->font();
        big.setPointSize(big.pointSize() * 2);
        measured->setFont(big);
        plain.setFont(big);
        expectSameAsQt(*measured, plain);

        QStandardItemModel other(0, 2);
        other.setHorizontalHeaderLabels({QStringLiteral("Dataset"), QStringLiteral("Rows")});
        view.setModel(&other);
        plain.setModel(&other);
        expectSameAsQt(*measured, plain);
        // The first model no longer reaches the header.
        model.setHeaderData(0, Qt::Horizontal, QStringLiteral("changed after the header left"));
        expectSameAsQt(*measured, plain);
        view.setModel(nullptr);
        QCOMPARE(measured->count(), 0);
    }

    void sortingByClickingAHeaderStillWorks()
    {
        QStandardItemModel model(3, 1);
        model.setHorizontalHeaderLabels({QStringLiteral("Model")});
        for (int row = 0; row < 3; ++row)
            model.setItem(row, 0, new QStandardItem(QString(QChar(u'c' - row))));
        QTableView view;
        MeasuredHeaderView::installHorizontal(&view);
        view.setModel(&model);
        view.setSortingEnabled(true);
        view.sortByColumn(0, Qt::DescendingOrder);
        view.resize(300, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QHeaderView *header = view.horizontalHeader();
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(header->sectionViewportPosition(0) + 5, header->height() / 2));
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
        QCOMPARE(model.item(0)->text(), QStringLiteral("a"));
    }
};

VIBEML_TEST_MAIN_GUI(TestMeasuredHeaderView)

#include "tst_measuredheaderview.moc"

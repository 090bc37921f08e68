#pragma once

#include <QHash>
#include <QHeaderView>

class QTableView;

namespace vibeml {

// A QHeaderView that measures each section's title once. QHeaderView measures every section
// again (text, bold font, sort indicator) each time a layout asks for its size hint or resizes
// sections to their contents — about nine times per section while the plan page is built, 5 %
// of all the work before the window's first frame. Here a section's measure is kept until
// something it depends on changes: the model's header data, sections added, removed or moved,
// the font, the style or the sort indicator.
class MeasuredHeaderView : public QHeaderView
{
    Q_OBJECT

public:
    using QHeaderView::QHeaderView;

    // Replaces `view`'s horizontal header, set up as QTableView sets up its own (clickable,
    // highlighting the selection's sections). Before the view has a model.
    static MeasuredHeaderView *installHorizontal(QTableView *view);

    void setModel(QAbstractItemModel *model) override;

protected:
    QSize sectionSizeFromContents(int logicalIndex) const override;
    bool event(QEvent *event) override;

private:
    void forgetMeasures() { m_measures.clear(); }

    mutable QHash<int, QSize> m_measures;
    mutable bool m_measuredWithSortIndicator = false;
    QList<QMetaObject::Connection> m_modelConnections;
};

} // namespace vibeml

#include "MeasuredHeaderView.h"

#include <QEvent>
#include <QTableView>

namespace vibeml {

MeasuredHeaderView *MeasuredHeaderView::installHorizontal(QTableView *view)
{
    auto *header = new MeasuredHeaderView(Qt::Horizontal, view);
    header->setSectionsClickable(true);
    header->setHighlightSections(true);
    view->setHorizontalHeader(header);
    return header;
}

void MeasuredHeaderView::setModel(QAbstractItemModel *model)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_modelConnections))
        disconnect(connection);
    m_modelConnections.clear();
    forgetMeasures();
    // Connected before QHeaderView connects its own handlers, so they never see a stale measure.
    if (model) {
        const auto forget = [this] { forgetMeasures(); };
        m_modelConnections = {
            connect(model, &QAbstractItemModel::headerDataChanged, this, forget),
            connect(model, &QAbstractItemModel::modelReset, this, forget),
            connect(model, &QAbstractItemModel::layoutChanged, this, forget),
        };
        if (orientation() == Qt::Horizontal) {
            m_modelConnections << connect(model, &QAbstractItemModel::columnsInserted, this, forget)
                               << connect(model, &QAbstractItemModel::columnsRemoved, this, forget)
                               << connect(model, &QAbstractItemModel::columnsMoved, this, forget);
        } else {
            m_modelConnections << connect(model, &QAbstractItemModel::rowsInserted, this, forget)
                               << connect(model, &QAbstractItemModel::rowsRemoved, this, forget)
                               << connect(model, &QAbstractItemModel::rowsMoved, this, forget);
        }
    }
    QHeaderView::setModel(model);
}

QSize MeasuredHeaderView::sectionSizeFromContents(int logicalIndex) const
{
    // Every section is measured with room for the indicator when it is shown (QHeaderView).
    if (m_measuredWithSortIndicator != isSortIndicatorShown()) {
        m_measures.clear();
        m_measuredWithSortIndicator = isSortIndicatorShown();
    }
    const auto found = m_measures.constFind(logicalIndex);
    if (found != m_measures.constEnd())
        return *found;
    const QSize measured = QHeaderView::sectionSizeFromContents(logicalIndex);
    m_measures.insert(logicalIndex, measured);
    return measured;
}

bool MeasuredHeaderView::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::StyleChange:
    case QEvent::LanguageChange:
    case QEvent::ApplicationFontChange:
    case QEvent::PaletteChange: // a style may size by it
        forgetMeasures();
        break;
    default:
        break;
    }
    return QHeaderView::event(event);
}

} // namespace vibeml

#include "joblog/JobLogView.h"

#include "joblog/JobLogModel.h"
#include "joblog/LogExport.h"
#include "joblog/LogLineDelegate.h"

#include <QAction>
#include <QBoxLayout>
#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPaintEvent>
#include <QScrollBar>
#include <QThread>
#include <QToolButton>

#include <algorithm>
#include <functional>
#include <memory>

namespace vibeml {
namespace {

constexpr int kSearchDelayMs = 150;

// The list itself. A QListView lays out every row again (one model index per row) whenever rows
// arrive or leave, which with a 200,000-line scrollback that grows 60 times a second would take
// the event loop's whole time; log rows all have the same height, so this one works out where a
// row is from its number and touches only the rows on screen: inserting, removing, scrolling and
// painting cost the same at 100 rows and at 10 million. The vertical scroll bar counts rows
// (ScrollPerItem: its value is the top row), the horizontal one pixels. It also copies every
// selected line on Ctrl+C (QListView would copy only the current one), and floats the "Jump to
// end" button over the viewport's bottom-right corner.
class LogListView final : public QListView
{
public:
    explicit LogListView(QWidget *parent) : QListView(parent)
    {
        setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
        setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    }

    std::function<void()> copy;
    QWidget *overlay = nullptr;

    void placeOverlay()
    {
        if (!overlay)
            return;
        overlay->adjustSize();
        const QRect area = viewport()->geometry();
        overlay->move(area.right() - overlay->width() - 12, area.bottom() - overlay->height() - 12);
        overlay->raise();
    }

    void setModel(QAbstractItemModel *model) override
    {
        if (this->model())
            disconnect(this->model(), nullptr, this, nullptr);
        QListView::setModel(model);
        if (model) {
            connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { rowsChanged(); });
            connect(model, &QAbstractItemModel::modelReset, this, [this] { rowsChanged(); });
        }
        rowsChanged();
    }

    // Item geometry: row r sits at (r - top row) × rowHeight().
    QRect visualRect(const QModelIndex &index) const override
    {
        if (!isOurs(index))
            return {};
        const int height = rowHeight();
        return {-horizontalScrollBar()->value(), (index.row() - verticalScrollBar()->value()) * height,
                std::max(contentWidth(), viewport()->width()), height};
    }

    QModelIndex indexAt(const QPoint &point) const override
    {
        if (!model() || point.y() < 0)
            return {};
        const int row = verticalScrollBar()->value() + point.y() / rowHeight();
        return row < rowCount() ? model()->index(row, modelColumn(), rootIndex()) : QModelIndex();
    }

    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override
    {
        if (!isOurs(index))
            return;
        const int row = index.row();
        const int top = verticalScrollBar()->value();
        const int shown = fullyVisibleRows();
        int value = top;
        switch (hint) {
        case PositionAtTop: value = row; break;
        case PositionAtBottom: value = row - shown + 1; break;
        case PositionAtCenter: value = row - shown / 2; break;
        case EnsureVisible:
            if (row < top)
                value = row;
            else if (row >= top + shown)
                value = row - shown + 1;
            break;
        }
        verticalScrollBar()->setValue(value);
    }

    void doItemsLayout() override
    {
        // Nothing to lay out: geometry follows from the row number.
        QAbstractItemView::doItemsLayout(); // updateGeometries() and a repaint
    }

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        if (event->matches(QKeySequence::Copy) && copy) {
            copy();
            event->accept();
            return;
        }
        QListView::keyPressEvent(event);
    }

    void resizeEvent(QResizeEvent *event) override
    {
        QAbstractItemView::resizeEvent(event);
        updateGeometries();
        placeOverlay();
    }

    void rowsInserted(const QModelIndex &parent, int start, int end) override
    {
        QAbstractItemView::rowsInserted(parent, start, end);
        rowsChanged();
    }

    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override
    {
        QAbstractItemView::rowsAboutToBeRemoved(parent, start, end); // moves the current index off them
    }

    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) override
    {
        QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
    }

    void updateGeometries() override
    {
        const int rows = rowCount();
        const int shown = fullyVisibleRows();
        QScrollBar *vertical = verticalScrollBar();
        vertical->setSingleStep(1);
        vertical->setPageStep(shown);
        vertical->setRange(0, std::max(0, rows - shown));
        QScrollBar *horizontal = horizontalScrollBar();
        const int width = viewport()->width();
        horizontal->setSingleStep(std::max(1, fontMetrics().horizontalAdvance(QLatin1Char('M'))));
        horizontal->setPageStep(std::max(1, width));
        horizontal->setRange(0, std::max(0, contentWidth() - width));
        QAbstractItemView::updateGeometries();
    }

    void scrollContentsBy(int dx, int dy) override
    {
        if (dy != 0 && std::abs(dy) < fullyVisibleRows())
            viewport()->scroll(dx, dy * rowHeight()); // keeps what is still on screen
        else if (dx != 0 && dy == 0)
            viewport()->scroll(dx, 0);
        else
            viewport()->update();
    }

    int horizontalOffset() const override { return horizontalScrollBar()->value(); }
    int verticalOffset() const override { return verticalScrollBar()->value() * rowHeight(); }
    bool isIndexHidden(const QModelIndex &) const override { return false; }
    QSize viewportSizeHint() const override { return {contentWidth(), std::min(rowCount(), 50) * rowHeight()}; }

    QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers) override
    {
        const int rows = rowCount();
        if (rows == 0)
            return {};
        const QModelIndex current = currentIndex();
        int row = current.isValid() ? current.row() : verticalScrollBar()->value();
        const int page = std::max(1, fullyVisibleRows() - 1);
        switch (action) {
        case MoveUp: case MovePrevious: row -= 1; break;
        case MoveDown: case MoveNext: row += 1; break;
        case MovePageUp: row -= page; break;
        case MovePageDown: row += page; break;
        case MoveHome: row = 0; break;
        case MoveEnd: row = rows - 1; break;
        case MoveLeft:
        case MoveRight: {
            QScrollBar *bar = horizontalScrollBar();
            bar->setValue(bar->value() + (action == MoveLeft ? -1 : 1) * bar->singleStep());
            return current;
        }
        }
        return model()->index(std::clamp(row, 0, rows - 1), modelColumn(), rootIndex());
    }

    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) override
    {
        const int rows = rowCount();
        if (!selectionModel() || rows == 0)
            return;
        const QRect area = rect.normalized();
        const int top = verticalScrollBar()->value();
        const int first = std::clamp(top + area.top() / rowHeight(), 0, rows - 1);
        const int last = std::clamp(top + area.bottom() / rowHeight(), first, rows - 1);
        const QItemSelection selection(model()->index(first, modelColumn(), rootIndex()),
                                       model()->index(last, modelColumn(), rootIndex()));
        selectionModel()->select(selection, command);
    }

    QRegion visualRegionForSelection(const QItemSelection &selection) const override
    {
        QRegion region;
        const int top = verticalScrollBar()->value();
        const int bottom = top + fullyVisibleRows() + 1;
        for (const QItemSelectionRange &range : selection) {
            if (range.parent() != rootIndex())
                continue;
            const int first = std::max(range.top(), top);
            const int last = std::min(range.bottom(), bottom);
            if (first <= last)
                region += QRect(0, (first - top) * rowHeight(), viewport()->width(), (last - first + 1) * rowHeight());
        }
        return region;
    }

    QModelIndexList selectedIndexes() const override { return QAbstractItemView::selectedIndexes(); }

    void paintEvent(QPaintEvent *event) override
    {
        if (!model())
            return;
        QPainter painter(viewport());
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        const int rows = rowCount();
        const int height = rowHeight();
        const int top = verticalScrollBar()->value();
        const QRect dirty = event->rect();
        const int first = top + std::max(0, dirty.top()) / height;
        const int last = std::min(rows - 1, top + dirty.bottom() / height);
        const QModelIndex current = currentIndex();
        const bool focused = hasFocus();
        QItemSelectionModel *selection = selectionModel();
        for (int row = first; row <= last; ++row) {
            const QModelIndex index = model()->index(row, modelColumn(), rootIndex());
            option.rect = visualRect(index);
            option.state = QStyle::State_Enabled;
            if (isActiveWindow())
                option.state |= QStyle::State_Active;
            if (selection && selection->isSelected(index))
                option.state |= QStyle::State_Selected;
            if (focused && index == current)
                option.state |= QStyle::State_HasFocus;
            itemDelegateForIndex(index)->paint(&painter, option, index);
        }
    }

private:
    bool isOurs(const QModelIndex &index) const
    {
        return index.isValid() && index.model() == model() && index.parent() == rootIndex();
    }

    int rowCount() const { return model() ? model()->rowCount(rootIndex()) : 0; }

    int rowHeight() const
    {
        return std::max(1, fontMetrics().height());
    }

    int fullyVisibleRows() const { return std::max(1, viewport()->height() / rowHeight()); }

    // The width of the widest retained line, from the delegate (O(1) for log lines).
    int contentWidth() const
    {
        if (!model() || rowCount() == 0)
            return 0;
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        const QModelIndex first = model()->index(0, modelColumn(), rootIndex());
        return itemDelegateForIndex(first)->sizeHint(option, first).width();
    }

    void rowsChanged()
    {
        updateGeometries();
        viewport()->update();
    }
};

QToolButton *toolButton(const QString &text, const QString &accessibleName, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setAccessibleName(accessibleName);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

QAction *shortcutAction(QWidget *owner, const QList<QKeySequence> &keys)
{
    auto *action = new QAction(owner);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    owner->addAction(action);
    return action;
}

} // namespace

JobLogView::JobLogView(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Job log"));
    auto *list = new LogListView(this);
    m_list = list;
    m_delegate = new LogLineDelegate(this);
    m_list->setItemDelegate(m_delegate);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setWordWrap(false);
    m_list->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_list->setAccessibleName(tr("Log lines"));
    m_list->setAccessibleDescription(tr("The job's output, newest at the bottom"));
    list->copy = [this] { copySelection(); };

    m_jumpButton = toolButton(tr("Jump to end"), tr("Jump to the end of the log and follow it"), m_list);
    m_jumpButton->setToolTip(tr("Follow new lines again (Ctrl+End)"));
    m_jumpButton->hide();
    list->overlay = m_jumpButton;
    connect(m_jumpButton, &QToolButton::clicked, this, &JobLogView::jumpToEnd);

    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Log size"));
    m_errorButton = toolButton(tr("No errors"), tr("Jump to the first error"), this);
    m_errorButton->setEnabled(false);
    connect(m_errorButton, &QToolButton::clicked, this, &JobLogView::jumpToFirstError);
    auto *findButton = toolButton(tr("Find…"), tr("Search the log"), this);
    findButton->setToolTip(tr("Search the log (Ctrl+F)"));
    connect(findButton, &QToolButton::clicked, this, &JobLogView::openSearch);
    m_saveButton = toolButton(tr("Save log…"), tr("Save the whole log to a file"), this);
    m_saveButton->setEnabled(false);
    connect(m_saveButton, &QToolButton::clicked, this, &JobLogView::saveAs);

    m_searchBar = new QWidget(this);
    m_searchEdit = new QLineEdit(m_searchBar);
    m_searchEdit->setPlaceholderText(tr("Find in log"));
    m_searchEdit->setAccessibleName(tr("Find in log"));
    m_searchEdit->setClearButtonEnabled(true);
    m_matchCase = new QCheckBox(tr("Match case"), m_searchBar);
    m_searchStatus = new QLabel(m_searchBar);
    m_searchStatus->setAccessibleName(tr("Search result"));
    auto *previous = toolButton(tr("Previous"), tr("Previous match"), m_searchBar);
    previous->setToolTip(tr("Previous match (Shift+F3)"));
    auto *next = toolButton(tr("Next"), tr("Next match"), m_searchBar);
    next->setToolTip(tr("Next match (F3)"));
    auto *close = toolButton(tr("Close"), tr("Close the search bar"), m_searchBar);
    auto *searchRow = new QHBoxLayout(m_searchBar);
    searchRow->setContentsMargins(0, 0, 0, 0);
    for (QWidget *widget : std::initializer_list<QWidget *>{m_searchEdit, previous, next, m_matchCase, m_searchStatus})
        searchRow->addWidget(widget);
    searchRow->addStretch();
    searchRow->addWidget(close);
    m_searchBar->hide();

    auto *topRow = new QHBoxLayout;
    topRow->addWidget(m_status, 1);
    topRow->addWidget(m_errorButton);
    topRow->addWidget(findButton);
    topRow->addWidget(m_saveButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(topRow);
    layout->addWidget(m_searchBar);
    layout->addWidget(m_list, 1);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(kSearchDelayMs);
    connect(m_searchEdit, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(&m_searchDelay, &QTimer::timeout, this, [this] {
        // Incremental: the current match stays if it still matches, else the next one is shown.
        applySearchTerm();
        if (!m_searchEdit->text().isEmpty())
            find(true, true);
        else
            m_searchStatus->clear();
    });
    connect(m_matchCase, &QCheckBox::toggled, this, [this] { applySearchTerm(); });
    connect(m_searchEdit, &QLineEdit::returnPressed, this, &JobLogView::findNext);
    connect(previous, &QToolButton::clicked, this, &JobLogView::findPrevious);
    connect(next, &QToolButton::clicked, this, &JobLogView::findNext);
    connect(close, &QToolButton::clicked, this, &JobLogView::closeSearch);

    connect(shortcutAction(this, QKeySequence::keyBindings(QKeySequence::Find)), &QAction::triggered, this,
            &JobLogView::openSearch);
    QList<QKeySequence> nextKeys = QKeySequence::keyBindings(QKeySequence::FindNext);
    if (!nextKeys.contains(QKeySequence(Qt::Key_F3)))
        nextKeys.append(QKeySequence(Qt::Key_F3));
    connect(shortcutAction(this, nextKeys), &QAction::triggered, this, &JobLogView::findNext);
    QList<QKeySequence> previousKeys = QKeySequence::keyBindings(QKeySequence::FindPrevious);
    if (!previousKeys.contains(QKeySequence(Qt::SHIFT | Qt::Key_F3)))
        previousKeys.append(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    connect(shortcutAction(this, previousKeys), &QAction::triggered, this, &JobLogView::findPrevious);
    connect(shortcutAction(this, {QKeySequence(Qt::CTRL | Qt::Key_End)}), &QAction::triggered, this, &JobLogView::jumpToEnd);
    QAction *escape = shortcutAction(m_searchEdit, {QKeySequence(Qt::Key_Escape)});
    escape->setShortcutContext(Qt::WidgetShortcut);
    connect(escape, &QAction::triggered, this, &JobLogView::closeSearch);

    QScrollBar *bar = m_list->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, &JobLogView::onScrolled);
    connect(bar, &QScrollBar::rangeChanged, this, [this] {
        if (m_following)
            scrollToBottomQuietly();
    });
    applyPalette();
    updateStatus();
}

JobLogView::~JobLogView() = default;

void JobLogView::setModel(JobLogModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_list->setModel(model);
    if (model) {
        // After the view's own connections: the view has taken the change in when these run.
        connect(model, &JobLogModel::rowsRemoved, this, [this](const QModelIndex &, int first, int last) {
            onRowsRemoved(first, last);
        });
        connect(model, &JobLogModel::rowsInserted, this, &JobLogView::updateStatus);
        connect(model, &JobLogModel::modelReset, this, [this] {
            setFollowing(true);
            updateStatus();
        });
        connect(model, &JobLogModel::errorLineCountChanged, this, &JobLogView::updateErrorButton);
    }
    setFollowing(true);
    updateStatus();
    updateErrorButton();
}

void JobLogView::setLogFilePath(const QString &path)
{
    m_logFilePath = path;
    m_saveButton->setEnabled(!path.isEmpty() && !m_saving);
}

QString JobLogView::searchText() const
{
    return m_searchEdit->text();
}

QString JobLogView::statusText() const
{
    return m_status->text();
}

void JobLogView::setFollowing(bool following)
{
    if (following == m_following)
        return;
    m_following = following;
    m_jumpButton->setVisible(!following);
    static_cast<LogListView *>(m_list)->placeOverlay();
    if (following)
        scrollToBottomQuietly();
    Q_EMIT followingChanged(following);
}

void JobLogView::scrollToBottomQuietly()
{
    m_scrolling = true;
    m_list->scrollToBottom();
    m_scrolling = false;
}

void JobLogView::onScrolled(int value)
{
    if (m_scrolling)
        return;
    // At the very bottom the view follows; anywhere above it the user is reading: stay put.
    setFollowing(value >= m_list->verticalScrollBar()->maximum());
}

void JobLogView::onRowsRemoved(int first, int last)
{
    updateStatus();
    if (m_following || first != 0)
        return;
    // Old lines left the scrollback: keep the lines being read where they are on screen.
    QScrollBar *bar = m_list->verticalScrollBar();
    m_scrolling = true;
    bar->setValue(std::max(0, bar->value() - (last - first + 1)));
    m_scrolling = false;
}

void JobLogView::jumpToEnd()
{
    setFollowing(true);
    scrollToBottomQuietly();
}

void JobLogView::openSearch()
{
    m_searchBar->show();
    m_searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_searchEdit->selectAll();
}

void JobLogView::closeSearch()
{
    m_searchBar->hide();
    m_searchEdit->clear();
    applySearchTerm();
    m_list->setFocus(Qt::OtherFocusReason);
}

void JobLogView::setSearchText(const QString &text)
{
    m_searchBar->show();
    m_searchEdit->setText(text);
    m_searchDelay.stop();
    applySearchTerm();
}

void JobLogView::applySearchTerm()
{
    m_delegate->setSearchTerm(m_searchEdit->text(), m_matchCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive);
    m_list->viewport()->update();
}

bool JobLogView::findNext()
{
    return find(true);
}

bool JobLogView::findPrevious()
{
    return find(false);
}

bool JobLogView::find(bool forward, bool includeCurrent)
{
    if (!m_model || m_searchEdit->text().isEmpty()) {
        openSearch();
        return false;
    }
    applySearchTerm();
    const joblog::TextMatcher matcher(m_searchEdit->text(), m_matchCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive);
    const QModelIndex current = m_list->currentIndex();
    int from = current.isValid() ? current.row() - (includeCurrent && forward ? 1 : 0) : (forward ? -1 : m_model->rowCount());
    if (!current.isValid() && !m_following) { // start where the user is looking
        const QModelIndex top = m_list->indexAt(QPoint(0, 0));
        from = top.isValid() ? top.row() - (forward ? 1 : 0) : from;
    }
    const int row = m_model->find(matcher, from, forward ? joblog::SearchDirection::Forward : joblog::SearchDirection::Backward);
    if (row < 0) {
        m_searchStatus->setText(tr("Not found"));
        return false;
    }
    showRow(row);
    m_searchStatus->setText(tr("Line %L1").arg(m_model->lineNumber(row)));
    return true;
}

void JobLogView::showRow(int row)
{
    setFollowing(false);
    const QModelIndex index = m_model->index(row, 0);
    m_scrolling = true;
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_scrolling = false;
}

bool JobLogView::jumpToFirstError()
{
    const int row = m_model ? m_model->firstErrorRow() : -1;
    if (row < 0)
        return false;
    showRow(row);
    return true;
}

void JobLogView::copySelection()
{
    if (!m_model)
        return;
    // Ranges, not indexes: a selection of every retained line stays cheap.
    std::vector<std::pair<int, int>> ranges;
    for (const QItemSelectionRange &range : m_list->selectionModel()->selection())
        ranges.emplace_back(range.top(), range.bottom());
    if (ranges.empty() && m_list->currentIndex().isValid())
        ranges.emplace_back(m_list->currentIndex().row(), m_list->currentIndex().row());
    if (ranges.empty())
        return;
    std::sort(ranges.begin(), ranges.end());
    QString text;
    int last = -1;
    for (const auto &[top, bottom] : ranges) {
        for (int row = std::max(top, last + 1); row <= bottom; ++row) {
            if (!text.isEmpty())
                text += QLatin1Char('\n');
            text += m_model->text(row);
        }
        last = std::max(last, bottom);
    }
    QGuiApplication::clipboard()->setText(text);
}

void JobLogView::saveAs()
{
    if (m_logFilePath.isEmpty() || m_saving)
        return;
    const QString suggested = QDir::home().filePath(QFileInfo(m_logFilePath).completeBaseName() + QStringLiteral(".txt"));
    auto *dialog = new QFileDialog(this, tr("Save the job's log"), suggested, tr("Text files (*.txt *.log)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &JobLogView::saveTo);
    dialog->open();
}

void JobLogView::saveTo(const QString &target)
{
    if (m_logFilePath.isEmpty() || m_saving || target.isEmpty())
        return;
    m_saving = true;
    m_saveButton->setEnabled(false);
    auto failure = std::make_shared<QString>();
    auto saved = std::make_shared<bool>(false);
    QThread *worker = QThread::create([source = m_logFilePath, target, failure, saved] {
        const Status status = joblog::exportPlainText(source, target);
        *saved = status.isOk();
        *failure = status.message();
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this, [this, target, failure, saved] {
        m_saving = false;
        m_saveButton->setEnabled(!m_logFilePath.isEmpty());
        Q_EMIT saveFinished(*saved, *saved ? tr("Saved the whole log to %1.").arg(QDir::toNativeSeparators(target)) : *failure);
    });
    worker->start();
}

void JobLogView::updateStatus()
{
    if (!m_model) {
        m_status->setText(tr("No log"));
        return;
    }
    const qint64 total = m_model->totalLines();
    const int shown = m_model->rowCount();
    m_status->setText(total > shown ? tr("%L1 lines, showing the last %L2").arg(total).arg(shown)
                                    : tr("%Ln line(s)", nullptr, shown));
}

void JobLogView::updateErrorButton()
{
    const qint64 errors = m_model ? m_model->errorLineCount() : 0;
    m_errorButton->setText(errors ? tr("First error (%L1)").arg(errors) : tr("No errors"));
    m_errorButton->setEnabled(errors > 0);
    m_errorButton->setToolTip(errors ? tr("%Ln error line(s) in this log; jump to the first one", nullptr, int(errors))
                                     : QString());
}

void JobLogView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
}

void JobLogView::applyPalette()
{
    m_delegate->setTerminalPalette(TerminalPalette(m_list->palette()));
    m_list->viewport()->update();
}

} // namespace vibeml

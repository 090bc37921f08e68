#include "joblog/LogLineDelegate.h"

#include "joblog/JobLogModel.h"

#include <QAbstractScrollArea>
#include <QPainter>

#include <cmath>

namespace vibeml {
namespace {

// A few columns beyond each edge, so glyphs cut by the edge are still drawn.
constexpr int kSlackColumns = 4;

struct Range
{
    int start = 0;
    int end = 0;
    const joblog::TextStyle *style = nullptr;
};

// Span offsets are UTF-8 bytes; QString positions are UTF-16 units.
std::vector<Range> utf16Ranges(const joblog::LogLine &line)
{
    std::vector<Range> ranges;
    ranges.reserve(line.spans.size());
    const QByteArrayView bytes = line.text;
    qsizetype byte = 0;
    int unit = 0;
    auto advanceTo = [&](qsizetype target) {
        for (; byte < target && byte < bytes.size(); ++byte) {
            const auto c = static_cast<uchar>(bytes[byte]);
            if ((c & 0xc0) != 0x80)
                unit += c >= 0xf0 ? 2 : 1; // 4-byte sequences are surrogate pairs
        }
        return unit;
    };
    for (const joblog::StyleSpan &span : line.spans) {
        Range range;
        range.start = advanceTo(span.start);
        range.end = advanceTo(qsizetype(span.start) + span.length);
        range.style = &span.style;
        ranges.push_back(range);
    }
    return ranges;
}

QColor mix(const QColor &a, const QColor &b)
{
    return QColor((a.red() + b.red()) / 2, (a.green() + b.green()) / 2, (a.blue() + b.blue()) / 2);
}

} // namespace

LogLineDelegate::LogLineDelegate(QObject *parent) : QAbstractItemDelegate(parent) {}

void LogLineDelegate::setSearchTerm(const QString &term, Qt::CaseSensitivity sensitivity)
{
    m_searchTerm = term;
    m_sensitivity = sensitivity;
}

int LogLineDelegate::leftMargin(const QFontMetrics &metrics)
{
    return metrics.horizontalAdvance(QLatin1Char('M'));
}

QSize LogLineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics metrics(option.font);
    const auto *model = qobject_cast<const JobLogModel *>(index.model());
    const qsizetype longest = model ? model->store().longestLine() : 80;
    const int columns = static_cast<int>(std::min<qsizetype>(longest, kMaxColumns));
    return {leftMargin(metrics) + columns * metrics.horizontalAdvance(QLatin1Char('M')) + 2, metrics.height()};
}

void LogLineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const auto *model = qobject_cast<const JobLogModel *>(index.model());
    if (!model)
        return;
    const joblog::LogLine line = model->line(index.row());
    const QRect rect = option.rect;
    const QFontMetricsF metrics(option.font);
    const qreal column = metrics.horizontalAdvance(QLatin1Char('M'));
    const int margin = leftMargin(QFontMetrics(option.font));
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;

    painter->save();
    if (selected)
        painter->fillRect(rect, option.palette.brush(group, QPalette::Highlight));
    if (line.isError())
        painter->fillRect(QRect(rect.left(), rect.top(), std::max(2, margin / 3), rect.height()), m_palette.errorAccent());

    // Lay out only the columns inside the viewport: a 100,000-character line costs a screenful.
    const qreal textLeft = rect.left() + margin;
    const auto *area = qobject_cast<const QAbstractScrollArea *>(option.widget);
    const int viewportWidth = area ? area->viewport()->width() : rect.width();
    const QString text = QString::fromUtf8(line.text);
    const int shownLength = static_cast<int>(std::min<qsizetype>(text.size(), kMaxColumns));
    const int from = std::clamp(static_cast<int>(std::floor(-textLeft / column)) - kSlackColumns, 0, shownLength);
    const int to = std::clamp(static_cast<int>(std::ceil((viewportWidth - textLeft) / column)) + kSlackColumns, from,
                              shownLength);
    auto xOf = [&](int position) { return textLeft + position * column; };

    if (!m_searchTerm.isEmpty() && from < to) {
        const QColor highlight = m_palette.isDark() ? QColor(255, 200, 0, 110) : QColor(255, 213, 0, 170);
        for (qsizetype at = text.indexOf(m_searchTerm, std::max(0, from - int(m_searchTerm.size())), m_sensitivity);
             at >= 0 && at < to; at = text.indexOf(m_searchTerm, at + m_searchTerm.size(), m_sensitivity)) {
            painter->fillRect(QRectF(xOf(int(at)), rect.top(), m_searchTerm.size() * column, rect.height()), highlight);
        }
    }

    const QColor defaultText = selected ? option.palette.color(group, QPalette::HighlightedText)
                                        : (line.flags & joblog::ProgressLine ? option.palette.color(group, QPalette::PlaceholderText)
                                                                              : m_palette.text());
    const qreal baseline = rect.top() + (rect.height() - metrics.height()) / 2 + metrics.ascent();
    auto drawRun = [&](int start, int end, const joblog::TextStyle *style) {
        start = std::max(start, from);
        end = std::min(end, to);
        if (start >= end)
            return;
        QColor foreground = defaultText;
        QColor background;
        QFont font = option.font;
        if (style) {
            if (const QColor mapped = m_palette.foreground(style->foreground); mapped.isValid() && !selected)
                foreground = mapped;
            background = m_palette.background(style->background);
            if (style->attributes & joblog::Inverse) {
                const QColor swapped = background.isValid() ? background : m_palette.base();
                background = foreground;
                foreground = swapped;
            }
            if (style->attributes & joblog::Faint)
                foreground = mix(foreground, m_palette.base());
            font.setBold(style->attributes & joblog::Bold);
            font.setItalic(style->attributes & joblog::Italic);
            font.setUnderline(style->attributes & joblog::Underline);
            font.setStrikeOut(style->attributes & joblog::Strike);
        }
        if (background.isValid() && !selected)
            painter->fillRect(QRectF(xOf(start), rect.top(), (end - start) * column, rect.height()), background);
        painter->setFont(font);
        painter->setPen(foreground);
        painter->drawText(QPointF(xOf(start), baseline), text.mid(start, end - start));
    };

    int position = from;
    for (const Range &range : utf16Ranges(line)) {
        drawRun(position, range.start, nullptr);
        drawRun(range.start, range.end, range.style);
        position = std::max(position, range.end);
    }
    drawRun(position, to, nullptr);
    painter->restore();
}

} // namespace vibeml

#include "sky/SkyOutputText.h"

#include <QChar>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace vibeml::sky::detail {

namespace {

constexpr char16_t kEscape = 0x1b;
constexpr char16_t kBell = 0x07;

bool isLineBreak(char16_t c)
{
    return c == u'\n' || c == u'\r';
}

// Index just past the escape sequence starting at text[i] (which is ESC).
qsizetype skipEscape(QStringView text, qsizetype i)
{
    const qsizetype n = text.size();
    if (i + 1 >= n)
        return n;
    const char16_t kind = text[i + 1].unicode();
    if (kind == u'[') { // CSI: parameters and intermediates, then one final byte 0x40-0x7e
        qsizetype j = i + 2;
        while (j < n) {
            const char16_t c = text[j].unicode();
            if (c >= 0x40 && c <= 0x7e)
                return j + 1;
            if (c < 0x20 || c > 0x3f)
                return j; // malformed: stop without eating what follows
            ++j;
        }
        return n;
    }
    if (kind == u']') { // OSC: up to BEL or ESC '\'
        qsizetype j = i + 2;
        while (j < n) {
            const char16_t c = text[j].unicode();
            if (c == kBell)
                return j + 1;
            if (c == kEscape)
                return (j + 1 < n && text[j + 1] == u'\\') ? j + 2 : j;
            if (isLineBreak(c))
                return j;
            ++j;
        }
        return n;
    }
    if (kind == u'(' || kind == u')') // charset selection, e.g. ESC ( B
        return std::min(i + 3, n);
    if (isLineBreak(kind))
        return i + 1;
    return i + 2;
}

// East Asian wide/fullwidth and emoji-presentation ranges (a compact subset of wcwidth's table).
constexpr std::array<std::pair<char32_t, char32_t>, 40> kWideRanges {{
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
    {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
    {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
    {0x26F2, 0x26F5}, {0x26FA, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274E},
    {0x2753, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B55}, {0x2E80, 0x303E},
    {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
}};

// Walks a line code point by code point, tracking the display column of each.
template<typename Visit> void walkColumns(QStringView line, Visit visit)
{
    int column = 0;
    const qsizetype n = line.size();
    for (qsizetype i = 0; i < n;) {
        char32_t cp = line[i].unicode();
        qsizetype units = 1;
        if (QChar::isHighSurrogate(cp) && i + 1 < n && line[i + 1].isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(line[i].unicode(), line[i + 1].unicode());
            units = 2;
        }
        if (!visit(i, column))
            return;
        column += displayWidth(cp);
        i += units;
    }
    visit(n, column);
}

} // namespace

QString stripAnsi(QStringView text)
{
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < n;) {
        const char16_t c = text[i].unicode();
        const bool control = c < 0x20 && c != u'\t' && c != u'\n' && c != u'\r';
        if (!control && c != 0x7f) {
            ++i;
            continue;
        }
        out.append(text.mid(runStart, i - runStart));
        i = (c == kEscape) ? skipEscape(text, i) : i + 1;
        runStart = i;
    }
    out.append(text.mid(runStart));
    return out;
}

QList<QStringView> splitLines(const QString &text)
{
    QList<QStringView> lines;
    const QStringView all(text);
    qsizetype start = 0;
    while (start <= all.size()) {
        qsizetype end = all.indexOf(u'\n', start);
        if (end < 0)
            end = all.size();
        QStringView line = all.mid(start, end - start);
        while (line.endsWith(u'\r'))
            line.chop(1);
        const qsizetype cr = line.lastIndexOf(u'\r');
        if (cr >= 0)
            line = line.mid(cr + 1);
        if (end < all.size() || !line.isEmpty())
            lines.append(line);
        start = end + 1;
    }
    return lines;
}

int displayWidth(char32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        return 0;
    if (cp < 0x300)
        return 1;
    if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064)
        || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xE0100 && cp <= 0xE01EF))
        return 0;
    const QChar::Category category = QChar::category(cp);
    if (category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing)
        return 0;
    if (cp >= 0x10000) {
        const bool emoji
            = (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F680 && cp <= 0x1F6FF) || (cp >= 0x1F900 && cp <= 0x1FAFF);
        const bool cjk = cp >= 0x20000 && cp <= 0x3FFFD;
        return (emoji || cjk) ? 2 : 1;
    }
    const auto it = std::upper_bound(kWideRanges.begin(), kWideRanges.end(), cp,
                                     [](char32_t value, const auto &range) { return value < range.first; });
    if (it != kWideRanges.begin() && cp <= std::prev(it)->second)
        return 2;
    return 1;
}

int TableHeader::column(QStringView name) const
{
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (names[i] == name)
            return static_cast<int>(i);
    }
    return -1;
}

TableHeader parseHeader(QStringView line)
{
    TableHeader header;
    qsizetype tokenStart = -1;
    qsizetype lastNonSpace = -1;
    int tokenColumn = 0;
    int spaces = 0;
    const auto flush = [&] {
        if (tokenStart < 0)
            return;
        header.names.append(line.mid(tokenStart, lastNonSpace + 1 - tokenStart).toString());
        header.starts.append(tokenColumn);
        tokenStart = -1;
    };
    walkColumns(line, [&](qsizetype i, int column) {
        if (i >= line.size()) {
            flush();
            return false;
        }
        if (line[i].isSpace()) {
            if (++spaces == 2)
                flush();
            return true;
        }
        if (tokenStart < 0) {
            tokenStart = i;
            tokenColumn = column;
        }
        spaces = 0;
        lastNonSpace = i;
        return true;
    });
    return header;
}

QStringList sliceRow(QStringView row, const TableHeader &header)
{
    const qsizetype count = header.starts.size();
    QList<qsizetype> begins(count, row.size());
    if (count > 0)
        begins[0] = 0;
    qsizetype next = 1;
    walkColumns(row, [&](qsizetype i, int column) {
        while (next < count && column >= header.starts[next])
            begins[next++] = i;
        return next < count;
    });
    QStringList cells;
    cells.reserve(count);
    for (qsizetype k = 0; k < count; ++k) {
        const qsizetype end = (k + 1 < count) ? begins[k + 1] : row.size();
        cells.append(row.mid(begins[k], std::max<qsizetype>(0, end - begins[k])).trimmed().toString());
    }
    return cells;
}

QString cellValue(const QStringList &cells, const TableHeader &header, QStringView name)
{
    const int index = header.column(name);
    if (index < 0 || index >= cells.size())
        return {};
    const QString &value = cells[index];
    return value == u"-" ? QString() : value;
}

bool isBlank(QStringView line)
{
    return line.trimmed().isEmpty();
}

bool isTaskLogLine(QStringView trimmedLine)
{
    if (!trimmedLine.startsWith(u'('))
        return false;
    const qsizetype close = trimmedLine.indexOf(u')');
    return close > 0 && trimmedLine.left(close).contains(u"pid=");
}

bool isRule(QStringView line)
{
    const QStringView trimmed = line.trimmed();
    if (trimmed.size() < 3)
        return false;
    return std::all_of(trimmed.begin(), trimmed.end(), [](QChar c) { return c == u'-'; });
}

Table readTable(const QList<QStringView> &lines, qsizetype headerLine, LinePredicate ends)
{
    Table table;
    table.header = parseHeader(lines[headerLine]);
    qsizetype i = headerLine + 1;
    for (; i < lines.size(); ++i) {
        const QStringView line = lines[i];
        if (isBlank(line) || (ends && ends(line.trimmed())))
            break;
        if (isRule(line)) {
            if (table.rows.isEmpty())
                continue;
            ++i;
            break;
        }
        table.rows.append(sliceRow(line, table.header));
    }
    table.nextLine = i;
    return table;
}

std::optional<int> toInt(QStringView text)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

std::optional<double> toPrice(QStringView text)
{
    QStringView trimmed = text.trimmed();
    if (trimmed.startsWith(u'$'))
        trimmed = trimmed.mid(1).trimmed();
    if (trimmed.isEmpty() || trimmed == u"-")
        return std::nullopt;
    bool ok = false;
    const double value = trimmed.toDouble(&ok);
    if (!ok || value < 0 || !std::isfinite(value))
        return std::nullopt;
    return value;
}

QStringList quotedWords(QStringView text)
{
    QStringList words;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar quote = text[i];
        if (quote != u'\'' && quote != u'"') {
            ++i;
            continue;
        }
        const qsizetype close = text.indexOf(quote, i + 1);
        if (close < 0)
            break;
        words.append(text.mid(i + 1, close - i - 1).toString());
        i = close + 1;
    }
    return words;
}

QString excerpt(const QList<QStringView> &lines)
{
    constexpr qsizetype kLimit = 80;
    for (const QStringView line : lines) {
        const QStringView trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        QString text;
        text.reserve(kLimit + 3);
        const qsizetype end = std::min(trimmed.size(), kLimit);
        for (qsizetype i = 0; i < end; ++i) {
            const QChar c = trimmed[i];
            if (c.isHighSurrogate() && i + 1 < end && trimmed[i + 1].isLowSurrogate()
                && QChar::isPrint(QChar::surrogateToUcs4(c, trimmed[i + 1]))) {
                text.append(c);
                text.append(trimmed[++i]);
            } else {
                text.append(!c.isSurrogate() && c.isPrint() ? c : QChar(u'?'));
            }
        }
        if (trimmed.size() > kLimit)
            text.append(u'…');
        return u'"' + text + u'"';
    }
    return QStringLiteral("nothing");
}

QString unrecognisedMessage(const char *command, const char *expectedUtf8, const QList<QStringView> &lines)
{
    return QString(QLatin1String(command) + u" printed something VibeML does not recognise (expected "
                   + QString::fromUtf8(expectedUtf8) + u"; got " + excerpt(lines) + u").");
}

} // namespace vibeml::sky::detail

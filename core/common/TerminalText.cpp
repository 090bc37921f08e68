#include "common/TerminalText.h"

namespace vibeml::terminal {
namespace {

constexpr char kEscape = '\x1b';

// Index just past the escape sequence starting at `start` (which holds ESC).
qsizetype skipEscape(QByteArrayView text, qsizetype start)
{
    const qsizetype size = text.size();
    qsizetype i = start + 1;
    if (i >= size)
        return size;
    const char kind = text[i];
    if (kind == '[') {
        // CSI: parameters and intermediates, then one final byte in 0x40–0x7e.
        for (++i; i < size; ++i) {
            const auto byte = static_cast<unsigned char>(text[i]);
            if (byte >= 0x40 && byte <= 0x7e)
                return i + 1;
        }
        return size;
    }
    if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {
        // OSC / DCS / APC / PM: until BEL or ESC backslash.
        for (++i; i < size; ++i) {
            if (text[i] == '\a')
                return i + 1;
            if (text[i] == kEscape && i + 1 < size && text[i + 1] == '\\')
                return i + 2;
        }
        return size;
    }
    // Two-byte sequences (ESC 7, ESC =, charset selections ESC ( B …).
    if ((kind == '(' || kind == ')') && i + 1 < size)
        return i + 2;
    return i + 1;
}

} // namespace

QByteArray stripAnsi(QByteArrayView text)
{
    const qsizetype first = text.indexOf(kEscape);
    if (first < 0)
        return text.toByteArray();
    QByteArray result;
    result.reserve(text.size());
    qsizetype copiedUpTo = 0;
    for (qsizetype i = first; i < text.size();) {
        if (text[i] != kEscape) {
            ++i;
            continue;
        }
        result.append(text.sliced(copiedUpTo, i - copiedUpTo));
        i = skipEscape(text, i);
        copiedUpTo = i;
        const qsizetype next = text.indexOf(kEscape, i);
        if (next < 0)
            break;
        i = next;
    }
    if (copiedUpTo < text.size())
        result.append(text.sliced(copiedUpTo));
    return result;
}

QString stripAnsi(const QString &text)
{
    if (!text.contains(QLatin1Char(kEscape)))
        return text;
    return QString::fromUtf8(stripAnsi(QByteArrayView(text.toUtf8())));
}

QByteArrayView lastCarriageReturnSegment(QByteArrayView line)
{
    // A trailing '\r' (CRLF, or a bar that ends its redraw) does not blank the line.
    qsizetype end = line.size();
    while (end > 0 && line[end - 1] == '\r')
        --end;
    const QByteArrayView content = line.first(end);
    const qsizetype carriage = content.lastIndexOf('\r');
    return carriage < 0 ? content : content.sliced(carriage + 1);
}

} // namespace vibeml::terminal

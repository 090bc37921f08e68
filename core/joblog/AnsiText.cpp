#include "joblog/AnsiText.h"

#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vibeml::joblog {
namespace {

constexpr char kEscape = '\x1b';
// Longer "CSI" runs are not sequences a program meant; their bytes show as text.
constexpr qsizetype kMaxCsiLength = 64;
constexpr int kTabWidth = 8;

bool isControl(uchar byte)
{
    return byte < 0x20 || byte == 0x7f;
}

// The first control byte (< 0x20 or 0x7f) at or after `at`; `end` if none. 16 bytes a step where
// there is SSE2: most of a line is printable text between two escape sequences.
const char *firstControl(const char *at, const char *const end)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7f);
    for (; end - at >= 16; at += 16) {
        __m128i bytes;
        std::memcpy(&bytes, at, sizeof bytes);
        // Signed compare: bytes >= 0x80 are negative, hence "< 0x20" too; they are not controls.
        const int high = _mm_movemask_epi8(bytes);
        const int controls = (_mm_movemask_epi8(_mm_cmplt_epi8(bytes, space)) & ~high)
                             | _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, del));
        if (controls)
            return at + __builtin_ctz(static_cast<unsigned>(controls));
    }
#endif
    while (at < end && !isControl(static_cast<uchar>(*at)))
        ++at;
    return at;
}

bool inRange(uchar byte, uchar low, uchar high)
{
    return byte >= low && byte <= high;
}

struct Escape
{
    enum class Kind { Broken, Sgr, Other };
    Kind kind = Kind::Broken;
    qsizetype end = 0;         // just past the sequence; Broken: just past the ESC
    QByteArrayView parameters; // Sgr only
};

// Recognises the escape sequence at `at` (which holds ESC) following ECMA-48's byte classes.
Escape scanEscape(QByteArrayView line, qsizetype at)
{
    const qsizetype size = line.size();
    const Escape broken{Escape::Kind::Broken, at + 1, {}};
    if (at + 1 >= size)
        return broken;
    const auto kind = static_cast<uchar>(line[at + 1]);
    if (kind == '[') {
        qsizetype i = at + 2;
        const qsizetype parametersStart = i;
        while (i < size && inRange(static_cast<uchar>(line[i]), 0x30, 0x3f))
            ++i;
        const qsizetype parametersEnd = i;
        while (i < size && inRange(static_cast<uchar>(line[i]), 0x20, 0x2f))
            ++i;
        if (i >= size || i - at > kMaxCsiLength || !inRange(static_cast<uchar>(line[i]), 0x40, 0x7e))
            return broken;
        if (line[i] == 'm' && parametersEnd == i)
            return {Escape::Kind::Sgr, i + 1, line.sliced(parametersStart, parametersEnd - parametersStart)};
        return {Escape::Kind::Other, i + 1, {}};
    }
    if (kind == ']' || kind == 'P' || kind == 'X' || kind == '^' || kind == '_') {
        // OSC / DCS / SOS / PM / APC: a string ended by BEL or ST (ESC \).
        for (qsizetype i = at + 2; i < size; ++i) {
            if (line[i] == '\a')
                return {Escape::Kind::Other, i + 1, {}};
            if (line[i] == kEscape)
                return i + 1 < size && line[i + 1] == '\\' ? Escape{Escape::Kind::Other, i + 2, {}} : broken;
        }
        return broken;
    }
    if (inRange(kind, 0x20, 0x2f)) { // ESC ( B and other intermediates, then a final byte
        qsizetype i = at + 1;
        while (i < size && inRange(static_cast<uchar>(line[i]), 0x20, 0x2f))
            ++i;
        if (i < size && inRange(static_cast<uchar>(line[i]), 0x30, 0x7e))
            return {Escape::Kind::Other, i + 1, {}};
        return broken;
    }
    if (inRange(kind, 0x30, 0x7e)) // ESC 7, ESC =, ESC M, …
        return {Escape::Kind::Other, at + 2, {}};
    return broken;
}

// One ';'-separated SGR parameter with its ':' sub-parameters.
// Deliberately without member initialisers: a list of them is made per SGR sequence, and only
// the entries parseParameters fills are ever read.
struct Parameter
{
    std::array<int, 6> values;
    int count;
};

constexpr int kMaxParameters = 32;

int parseParameters(QByteArrayView text, std::array<Parameter, kMaxParameters> &out)
{
    int count = 0;
    Parameter current{};
    int value = 0;
    auto pushValue = [&] {
        if (current.count < static_cast<int>(current.values.size()))
            current.values[static_cast<size_t>(current.count++)] = value;
        value = 0;
    };
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            value = std::min(value * 10 + (c - '0'), 99999);
        } else if (c == ':') {
            pushValue();
        } else if (c == ';') {
            pushValue();
            if (count < kMaxParameters)
                out[static_cast<size_t>(count++)] = current;
            current = {};
        } // private markers (< = > ?) make no sense in SGR; ignore them
    }
    pushValue();
    if (count < kMaxParameters)
        out[static_cast<size_t>(count++)] = current;
    return count;
}

bool isByte(int value)
{
    return value >= 0 && value <= 255;
}

// 38/48 (and 58, underline colour, which is parsed only to skip it). Returns how many further
// ';'-separated parameters the colour used.
int extendedColour(const std::array<Parameter, kMaxParameters> &parameters, int index, int count, TextColor *target)
{
    const Parameter &own = parameters[static_cast<size_t>(index)];
    TextColor colour;
    bool valid = false;
    int consumed = 0;
    if (own.count > 1) { // colon form: 38:5:n, 38:2:r:g:b or 38:2:colourspace:r:g:b
        if (own.values[1] == 5 && own.count >= 3 && isByte(own.values[2])) {
            colour = TextColor::indexed(own.values[2]);
            valid = true;
        } else if (own.values[1] == 2 && own.count >= 5) {
            const int first = own.count >= 6 ? 3 : 2;
            const int red = own.values[static_cast<size_t>(first)];
            const int green = own.values[static_cast<size_t>(first + 1)];
            const int blue = own.values[static_cast<size_t>(first + 2)];
            valid = isByte(red) && isByte(green) && isByte(blue);
            colour = TextColor::rgb(red, green, blue);
        }
    } else if (index + 1 < count) {
        auto next = [&](int offset) { return parameters[static_cast<size_t>(index + offset)].values[0]; };
        const int mode = next(1);
        if (mode == 5 && index + 2 < count) {
            consumed = 2;
            valid = isByte(next(2));
            colour = TextColor::indexed(next(2));
        } else if (mode == 2 && index + 4 < count) {
            consumed = 4;
            valid = isByte(next(2)) && isByte(next(3)) && isByte(next(4));
            colour = TextColor::rgb(next(2), next(3), next(4));
        } else {
            consumed = count - index - 1; // unknown mode: the rest is its arguments
        }
    }
    if (valid && target)
        *target = colour;
    return consumed;
}

void closeRun(const std::string &text, size_t base, size_t runStart, const TextStyle &runStyle,
              std::vector<StyleSpan> &spans, size_t firstSpan)
{
    if (runStyle.isPlain() || text.size() <= runStart)
        return;
    const auto start = static_cast<quint32>(runStart - base);
    const auto length = static_cast<quint32>(text.size() - runStart);
    if (spans.size() > firstSpan && spans.back().style == runStyle && spans.back().start + spans.back().length == start) {
        spans.back().length += length;
        return;
    }
    spans.push_back({start, length, runStyle});
}

qsizetype columnsSince(const std::string &text, size_t base)
{
    qsizetype columns = 0;
    for (size_t i = base; i < text.size(); ++i)
        columns += (static_cast<uchar>(text[i]) & 0xc0) != 0x80 ? 1 : 0;
    return columns;
}

} // namespace

namespace {

// One SGR code that takes no arguments; false for 38, 48 and 58, which do (unknown codes are
// ignored, and count as applied).
bool applyPlainCode(TextStyle &style, int code)
{
    switch (code) {
    case 0: style = {}; break;
    case 1: style.attributes |= Bold; break;
    case 2: style.attributes |= Faint; break;
    case 3: style.attributes |= Italic; break;
    case 4: style.attributes |= Underline; break;
    case 7: style.attributes |= Inverse; break;
    case 9: style.attributes |= Strike; break;
    case 21: style.attributes |= Underline; break;
    case 22: style.attributes &= ~(Bold | Faint); break;
    case 23: style.attributes &= ~Italic; break;
    case 24: style.attributes &= ~Underline; break;
    case 27: style.attributes &= ~Inverse; break;
    case 29: style.attributes &= ~Strike; break;
    case 38: case 48: case 58: return false;
    case 39: style.foreground = {}; break;
    case 49: style.background = {}; break;
    default:
        if (code >= 30 && code <= 37)
            style.foreground = TextColor::indexed(code - 30);
        else if (code >= 40 && code <= 47)
            style.background = TextColor::indexed(code - 40);
        else if (code >= 90 && code <= 97)
            style.foreground = TextColor::indexed(code - 90 + 8);
        else if (code >= 100 && code <= 107)
            style.background = TextColor::indexed(code - 100 + 8);
        break;
    }
    return true;
}

// The common sequences ("0", "32", "1;31"): digits and ';' only, no code that takes arguments.
// Applies them and returns true, or changes nothing and returns false.
bool applyPlainSgr(TextStyle &style, QByteArrayView parameters)
{
    TextStyle result = style;
    int value = 0;
    for (const char c : parameters) {
        if (c >= '0' && c <= '9') {
            value = std::min(value * 10 + (c - '0'), 99999);
        } else if (c == ';' && applyPlainCode(result, value)) {
            value = 0;
        } else {
            return false;
        }
    }
    if (!applyPlainCode(result, value))
        return false;
    style = result;
    return true;
}

// The sequence at `at` (ESC) if it is "ESC [ codes m" with digits and ';' only, as applyPlainSgr
// takes them: applies it and returns the index just past its 'm'. 0 for anything else, which is
// scanEscape's to recognise. (Most escape sequences in logs are these; this skips the general
// recogniser and parameter lists.)
qsizetype applyPlainSgrAt(const char *data, qsizetype at, qsizetype size, TextStyle &style)
{
    if (at + 2 >= size || data[at + 1] != '[')
        return 0;
    qsizetype end = at + 2;
    while (end < size && end - at < kMaxCsiLength && ((data[end] >= '0' && data[end] <= '9') || data[end] == ';'))
        ++end;
    if (end >= size || data[end] != 'm' || !applyPlainSgr(style, QByteArrayView(data + at + 2, end - at - 2)))
        return 0;
    return end + 1;
}

} // namespace

void applySgr(TextStyle &style, QByteArrayView parameters)
{
    if (applyPlainSgr(style, parameters))
        return;
    std::array<Parameter, kMaxParameters> list;
    const int count = parseParameters(parameters, list);
    for (int k = 0; k < count; ++k) {
        const Parameter &parameter = list[static_cast<size_t>(k)];
        const int code = parameter.values[0];
        switch (code) {
        case 4: // 4:0 is "underline off"; 4:n other underline styles
            if (parameter.count > 1 && parameter.values[1] == 0)
                style.attributes &= ~Underline;
            else
                style.attributes |= Underline;
            break;
        case 38: k += extendedColour(list, k, count, &style.foreground); break;
        case 48: k += extendedColour(list, k, count, &style.background); break;
        case 58: k += extendedColour(list, k, count, nullptr); break;
        default: applyPlainCode(style, code); break;
        }
    }
}

void renderTerminalLine(QByteArrayView line, TextStyle &style, std::string &text, std::vector<StyleSpan> &spans)
{
    const size_t base = text.size();
    const size_t firstSpan = spans.size();
    size_t runStart = base;
    TextStyle runStyle = style;
    const char *const data = line.data();
    const qsizetype size = line.size();
    qsizetype i = 0;
    while (i < size) {
        const qsizetype printable = firstControl(data + i, data + size) - data;
        if (printable > i) {
            text.append(data + i, static_cast<size_t>(printable - i));
            i = printable;
            if (i >= size)
                break;
        }
        const char c = data[i];
        if (c == kEscape) {
            qsizetype next = applyPlainSgrAt(data, i, size, style);
            if (next == 0) {
                const Escape escape = scanEscape(line, i);
                if (escape.kind == Escape::Kind::Sgr)
                    applySgr(style, escape.parameters);
                next = escape.end;
            }
            if (!(style == runStyle)) {
                closeRun(text, base, runStart, runStyle, spans, firstSpan);
                runStart = text.size();
                runStyle = style;
            }
            i = next;
        } else if (c == '\t') {
            const qsizetype column = columnsSince(text, base);
            text.append(static_cast<size_t>(kTabWidth - column % kTabWidth), ' ');
            ++i;
        } else {
            ++i; // BEL, BS, NUL, a stray '\r', DEL: a log view has no use for them
        }
    }
    closeRun(text, base, runStart, runStyle, spans, firstSpan);
}

void applySgrSequences(QByteArrayView bytes, TextStyle &style)
{
    // memchr: QByteArrayView::indexOf(char) is a general substring search.
    const char *const data = bytes.data();
    const auto *escape = static_cast<const char *>(std::memchr(data, kEscape, static_cast<size_t>(bytes.size())));
    while (escape) {
        const Escape found = scanEscape(bytes, escape - data);
        if (found.kind == Escape::Kind::Sgr)
            applySgr(style, found.parameters);
        if (found.end >= bytes.size())
            break;
        escape = static_cast<const char *>(std::memchr(data + found.end, kEscape, static_cast<size_t>(bytes.size() - found.end)));
    }
}

} // namespace vibeml::joblog

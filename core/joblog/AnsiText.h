#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <string>
#include <vector>

// Terminal output → visible text + colour spans, for the live log view. Works on UTF-8 bytes: the
// escape sequences and control characters it removes are all ASCII, so multi-byte characters pass
// through untouched. Nothing here ever drops visible text: a sequence that is cut off or malformed
// loses only its ESC byte, and the rest shows as ordinary text.
namespace vibeml::joblog {

// A colour as the program asked for it; the view maps it to a colour readable on its palette.
struct TextColor
{
    enum class Kind : quint8 { Default, Indexed, Rgb };
    Kind kind = Kind::Default;
    quint8 r = 0; // Indexed: the palette index (0–15 the ANSI colours, 16–255 xterm's cube and greys)
    quint8 g = 0;
    quint8 b = 0;

    static constexpr TextColor indexed(int index) { return {Kind::Indexed, static_cast<quint8>(index), 0, 0}; }
    static constexpr TextColor rgb(int red, int green, int blue)
    {
        return {Kind::Rgb, static_cast<quint8>(red), static_cast<quint8>(green), static_cast<quint8>(blue)};
    }
    bool isDefault() const { return kind == Kind::Default; }
    friend bool operator==(const TextColor &, const TextColor &) = default;
};

enum TextAttribute : quint8 {
    Bold = 0x01,
    Faint = 0x02,
    Italic = 0x04,
    Underline = 0x08,
    Inverse = 0x10,
    Strike = 0x20,
};

struct TextStyle
{
    TextColor foreground;
    TextColor background;
    quint8 attributes = 0; // TextAttribute bits

    bool isPlain() const { return foreground.isDefault() && background.isDefault() && attributes == 0; }
    friend bool operator==(const TextStyle &, const TextStyle &) = default;
};

// A run of styled text within one line: byte offsets into the line's visible UTF-8 text.
struct StyleSpan
{
    quint32 start = 0;
    quint32 length = 0;
    TextStyle style;
    friend bool operator==(const StyleSpan &, const StyleSpan &) = default;
};

// Applies the parameters of one SGR sequence (the bytes between "ESC [" and "m") to `style`:
// reset, bold/faint/italic/underline/inverse/strike and their "off" codes, the 8 + 8 ANSI colours,
// 256-colour (38;5;n) and true-colour (38;2;r;g;b, also in the colon form) foreground/background.
// Unknown codes are ignored.
void applySgr(TextStyle &style, QByteArrayView parameters);

// Renders one line (no '\n'; '\r' already collapsed) the way a terminal would show it: appends the
// visible text to `text` and one span per run of non-plain style to `spans` (offsets relative to
// where this line starts in `text`). SGR sequences change `style`, which carries over to the next
// line as it does in a terminal; other escape sequences (cursor moves, erase, OSC titles and links)
// vanish; tabs become spaces up to the next multiple of 8 columns; other control characters vanish.
void renderTerminalLine(QByteArrayView line, TextStyle &style, std::string &text, std::vector<StyleSpan> &spans);

// Applies only the SGR sequences in `bytes` to `style` (for the part of a line that a later '\r'
// overwrote: its text is gone, its colour changes are not).
void applySgrSequences(QByteArrayView bytes, TextStyle &style);

} // namespace vibeml::joblog

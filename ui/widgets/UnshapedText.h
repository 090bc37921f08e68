#pragma once

class QWidget;

namespace vibeml {

// The window's text is laid out without OpenType shaping where its script does not need it
// (QFont::PreferNoShaping): Latin, Greek, Cyrillic… map characters to glyphs directly, while
// Arabic, Indic and other complex scripts are still shaped. Measuring and drawing a label then
// skips HarfBuzz, which was a seventh of all the work before the window's first frame (about
// 2 ms; bench/README.md) and is part of every repaint of a table. What it gives up is kerning
// pairs in UI text, which at UI sizes moves a glyph by a pixel at most (screenshots compared).
//
// Sets the application font's strategy, keeping the desktop's font family and size. Before any
// widget exists, so none is laid out twice.
void useUnshapedText();

// Takes the desktop's font, unshaped, whenever it changes while `window` is open: an explicitly
// set application font would otherwise stay as it was.
void followDesktopFont(QWidget *window);

} // namespace vibeml

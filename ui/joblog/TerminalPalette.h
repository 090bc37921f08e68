#pragma once

#include "joblog/AnsiText.h"

#include <QColor>
#include <QPalette>

#include <array>

namespace vibeml {

// Terminal colours that stay readable on the window's palette: the 16 ANSI colours in a bright set
// for dark backgrounds and a deep set for light ones, xterm's 256-colour cube, true colour as
// asked — and any foreground too close to the background pulled toward the palette's text colour.
class TerminalPalette
{
public:
    explicit TerminalPalette(const QPalette &palette = {});

    bool isDark() const { return m_dark; }
    QColor text() const { return m_text; }
    QColor base() const { return m_base; }

    // An invalid QColor means "the default" (palette text / no background).
    QColor foreground(const joblog::TextColor &colour) const;
    QColor background(const joblog::TextColor &colour) const;
    QColor errorAccent() const { return m_errorAccent; }

    static QColor xterm256(int index, bool dark);
    static double contrast(const QColor &a, const QColor &b); // WCAG contrast ratio, 1..21

private:
    QColor raw(const joblog::TextColor &colour) const;

    std::array<QColor, 16> m_ansi;
    QColor m_text;
    QColor m_base;
    QColor m_errorAccent;
    bool m_dark = false;
};

} // namespace vibeml

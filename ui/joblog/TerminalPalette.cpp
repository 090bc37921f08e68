#include "joblog/TerminalPalette.h"

#include <cmath>

namespace vibeml {
namespace {

// Readable text needs 4.5:1; coloured log text is decoration on top of meaning, so 3:1 will do.
constexpr double kMinimumContrast = 3.0;

double channel(double value)
{
    value /= 255.0;
    return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &colour)
{
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue());
}

QColor mix(const QColor &a, const QColor &b, double amountOfB)
{
    auto blend = [amountOfB](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * amountOfB)); };
    return QColor(blend(a.red(), b.red()), blend(a.green(), b.green()), blend(a.blue(), b.blue()));
}

// Tango-like sets: the normal eight, then the bright eight.
constexpr std::array<QRgb, 16> kForDark = {
    0x4d4d4d, 0xf0625b, 0x6cc644, 0xe5c07b, 0x61a0ff, 0xc678dd, 0x4ec9d0, 0xd0d0d0,
    0x8a8a8a, 0xff7b72, 0x8ee06a, 0xffd966, 0x8cb8ff, 0xe09ef5, 0x7ee3e8, 0xffffff};
constexpr std::array<QRgb, 16> kForLight = {
    0x1e1e1e, 0xb3261e, 0x2e7d32, 0x8a6100, 0x1f5fbf, 0x8e3aa8, 0x00727a, 0x5f5f5f,
    0x5a5a5a, 0xd32f2f, 0x388e3c, 0x9e6a00, 0x1565c0, 0xa23fbf, 0x00838f, 0x303030};

} // namespace

TerminalPalette::TerminalPalette(const QPalette &palette)
    : m_text(palette.color(QPalette::Active, QPalette::Text)), m_base(palette.color(QPalette::Active, QPalette::Base))
{
    m_dark = m_base.lightness() < 128;
    const auto &set = m_dark ? kForDark : kForLight;
    for (size_t i = 0; i < set.size(); ++i)
        m_ansi[i] = QColor::fromRgb(set[i]);
    m_errorAccent = m_dark ? QColor(0xf0625b) : QColor(0xb3261e);
}

QColor TerminalPalette::xterm256(int index, bool dark)
{
    if (index < 16)
        return QColor::fromRgb((dark ? kForDark : kForLight)[static_cast<size_t>(std::max(0, index))]);
    if (index < 232) {
        static constexpr int kLevels[] = {0, 95, 135, 175, 215, 255};
        const int cube = index - 16;
        return QColor(kLevels[cube / 36], kLevels[(cube / 6) % 6], kLevels[cube % 6]);
    }
    const int grey = 8 + 10 * (index - 232);
    return QColor(grey, grey, grey);
}

double TerminalPalette::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor TerminalPalette::raw(const joblog::TextColor &colour) const
{
    using Kind = joblog::TextColor::Kind;
    switch (colour.kind) {
    case Kind::Default:
        return {};
    case Kind::Indexed:
        return colour.r < 16 ? m_ansi[colour.r] : xterm256(colour.r, m_dark);
    case Kind::Rgb:
        return QColor(colour.r, colour.g, colour.b);
    }
    return {};
}

QColor TerminalPalette::foreground(const joblog::TextColor &colour) const
{
    QColor result = raw(colour);
    if (!result.isValid())
        return result;
    // Yellow on white, dark blue on black: move toward the text colour until it reads.
    for (double amount = 0.25; amount < 1.0 && contrast(result, m_base) < kMinimumContrast; amount += 0.25)
        result = mix(raw(colour), m_text, amount);
    return result;
}

QColor TerminalPalette::background(const joblog::TextColor &colour) const
{
    return raw(colour);
}

} // namespace vibeml

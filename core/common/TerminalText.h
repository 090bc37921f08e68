#pragma once

#include <QByteArray>
#include <QString>

#include <string_view>

// Turning terminal output into plain lines: ANSI escape sequences removed, and a line that a
// progress bar rewrote with '\r' reduced to what the terminal finally showed. Hot path for
// million-line training logs, so it works on UTF-8 bytes and allocates little.
namespace vibeml::terminal {

// Removes CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \) and two-byte ESC sequences.
QByteArray stripAnsi(QByteArrayView text);
QString stripAnsi(const QString &text);

// The text after the last '\r' that is not followed by '\n' (what a terminal would show).
QByteArrayView lastCarriageReturnSegment(QByteArrayView line);

} // namespace vibeml::terminal

#pragma once

#include <QByteArrayView>

#include <vector>

// One pass over a log line that answers every question the ingest pipeline asks of it: does it
// need the terminal renderer (control bytes: ESC, TAB, …), a UTF-8 check (bytes ≥ 0x80), is it
// an error line, is it one of the training script's progress lines. SSE2 where there is SSE2
// (16 bytes per step; 32 with AVX2), plain loops elsewhere; the same answers either way.
namespace vibeml::joblog {

struct LineScan
{
    bool hasCarriageReturn = false; // a '\r'
    bool hasOtherControls = false;  // another byte < 0x20, or 0x7f (ESC, TAB, …)
    bool hasNonAscii = false; // a byte ≥ 0x80
    bool looksLikeError = false; // "ERROR", "Error:" or a Python traceback's first line
    bool hasProgressMarker = false; // "@@VIBEML@@ "

    bool hasControls() const { return hasCarriageReturn || hasOtherControls; }
};

LineScan scanLine(QByteArrayView line);

// Only scanLine's pattern answers (looksLikeError, hasProgressMarker; the rest stay false): for a
// line already rendered, whose other answers are known. Looks only at 'E', 'T' and '@', where
// every pattern starts, so it costs less than a whole scan.
LineScan scanPatterns(QByteArrayView text);

// Well-formed UTF-8 as Unicode defines it (no overlong forms, no surrogates, nothing past
// U+10FFFF) — what QByteArrayView::isValidUtf8 answers, faster on log lines: ASCII is skipped 16
// bytes at a time, and most non-ASCII log lines have only a few characters beyond it.
bool isValidUtf8(QByteArrayView text);

// A complete line found by scanLines: [begin, end) in the scanned bytes, without its '\n'.
struct ScannedLine
{
    qsizetype begin = 0;
    qsizetype end = 0;
    LineScan scan;
};

// Splits `bytes` at '\n' and answers scanLine's questions for every complete line, in one pass
// over the bytes — 32 at a time with AVX2, 16 with SSE2 — instead of a memchr and a scanLine per
// line (whose work per line, on lines of a few dozen bytes, cost more than the bytes). Appends one
// entry per line to `lines` (not cleared first) and returns the offset just past the last '\n':
// the bytes from there on are an unfinished line (0 when there is no '\n').
qsizetype scanLines(QByteArrayView bytes, std::vector<ScannedLine> &lines);

// For lines that are only counted (LogIngest::setDropping): how many '\n' bytes `bytes` holds,
// and (appended to `special`, ascending) the offsets of the bytes that can make a line more than
// a count — a control byte other than '\n' and '\r' (ESC: colours), or where one of scanLine's
// patterns may begin ("ER", "Er", "Tr" or "@@", as the multi-line scan looks for them). 32 bytes a
// step with AVX2; a line without any such byte is only a count whatever else it holds.
qsizetype findSpecialBytes(QByteArrayView bytes, std::vector<qsizetype> &special);

// Whether `bytes` holds an 'E', a 'T' or an '@': where every pattern scanLine looks for begins.
bool hasPatternStart(QByteArrayView bytes);

// How many '\n' bytes `bytes` holds (32 bytes a step with AVX2, 16 with SSE2).
qsizetype countNewlines(QByteArrayView bytes);

} // namespace vibeml::joblog

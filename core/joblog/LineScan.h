#pragma once

#include <QByteArrayView>

// One pass over a log line that answers every question the ingest pipeline asks of it: does it
// need the terminal renderer (control bytes: ESC, TAB, …), a UTF-8 check (bytes ≥ 0x80), is it
// an error line, is it one of the training script's progress lines. SSE2 where there is SSE2
// (16 bytes per step), plain loops elsewhere; the same answers either way.
namespace vibeml::joblog {

struct LineScan
{
    bool hasControls = false; // a byte < 0x20 or 0x7f
    bool hasNonAscii = false; // a byte ≥ 0x80
    bool looksLikeError = false; // "ERROR", "Error:" or a Python traceback's first line
    bool hasProgressMarker = false; // "@@VIBEML@@ "
};

LineScan scanLine(QByteArrayView line);

} // namespace vibeml::joblog

#pragma once

#include "joblog/AnsiText.h"
#include "joblog/LineScan.h"
#include "joblog/LogLineStore.h"
#include "joblog/MetricPoint.h"
#include "jobs/TrainingProgress.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <string>
#include <vector>

// The ingest pipeline of the live log view: raw bytes of `sky logs --follow` output, in pieces of
// any size, become finished lines in a LineSink (normally the LogLineStore):
//   split at '\n' → collapse '\r' redraws (to the last one, after SkyPilot's "(task, pid=N) "
//   prefix) → repair invalid UTF-8 → ANSI SGR to colour spans → flag error lines → parse the
//   script's progress lines (the metrics parser).
// A '\n' byte never occurs inside a UTF-8 sequence, so splitting bytes at '\n' and keeping the
// unfinished line until its '\n' arrives decodes a multi-byte character cut by a read boundary
// exactly as a stateful decoder would.
namespace vibeml::joblog {

class LogIngest
{
public:
    // An unfinished line longer than this is shortened: '\r' redraws before its last '\r' are
    // dropped, or, without any, it is cut into a line of its own.
    static constexpr qsizetype kMaxPendingBytes = qsizetype{1} << 20;

    explicit LogIngest(LineSink &sink);

    void feed(QByteArrayView bytes);
    void finish();  // the end of the input: an unfinished last line counts as a line
    void reset();   // a new input: forget the unfinished line and the colour state

    // Joins `later`, an ingest that decoded the lines that follow this one's from a fresh start
    // (default colours, no unfinished line), when that start was right: this ingest has no
    // unfinished line and ends with the default colours. Then `later`'s lines, already in its own
    // sink, are exactly what this ingest would have made of them, and this one goes on from where
    // `later` ended (colours, line count, events after its own). False, changing nothing, when the
    // colours carried over: the caller decodes those lines again here.
    bool adoptContinuation(LogIngest &later);

    qsizetype pendingBytes() const { return m_pending.size(); }
    qint64 linesIngested() const { return m_lines; }

    // Lines finished while dropping go to the batch as dropped lines (LogBatch::appendDroppedLine):
    // counted, with the same error flags, progress events and colour state as kept ones, but
    // neither rendered nor stored where that cannot change those. For the front of a backlog
    // that will leave the scrollback anyway. Only with a LogBatch sink.
    void setDropping(bool dropping) { m_dropping = dropping && m_batch; }

    // The script's progress events seen since the last call, in log order.
    QList<jobs::ProgressEvent> takeEvents();
    bool hasEvents() const { return !m_events.isEmpty(); }

private:
    // A line the multi-line scan found: plain ones (no control bytes, no colour carried over) go
    // straight to the sink with the scan's answers; the others take processLine's full path.
    void takeScannedLine(QByteArrayView line, const LineScan &scan);
    // takeScannedLine while dropping: the full path only where the line's flags need it.
    void dropScannedLine(QByteArrayView line, const LineScan &scan);
    // The whole lines of `bytes` while dropping: a count, except the lines findSpecialBytes points
    // at, which go through dropScannedLine in order. Returns the offset past the last '\n'.
    qsizetype dropLines(QByteArrayView bytes);
    // `known`: the scan of `raw` when the caller has it (used unless a '\r' changes the line).
    void processLine(QByteArrayView raw, const LineScan *known = nullptr);
    // The part of `raw` a terminal shows after its '\r' redraws (with SkyPilot's prefix kept);
    // applies the colour changes of the overwritten part (`mayHaveEscapes`: false when the scan
    // saw no ESC). May point into m_joined.
    QByteArrayView collapseRedraws(QByteArrayView raw, bool mayHaveEscapes);
    void finishLine(QByteArrayView text, const LineScan &scan, std::span<const StyleSpan> spans);
    // The line's flags, and its progress event if it is a progress line (the scan found a pattern).
    quint8 patternFlags(QByteArrayView text, const LineScan &scan);
    void shortenPending();

    LineSink &m_sink;
    LogBatch *const m_batch; // m_sink when it is a LogBatch (the log reader's): plain lines go in inline
    QByteArray m_pending;
    TextStyle m_style;
    std::string m_joined;          // scratch: a SkyPilot prefix + the last redraw
    std::string m_text;            // scratch: a rendered line
    std::vector<StyleSpan> m_spans; // scratch: its spans
    std::vector<ScannedLine> m_scanned; // scratch: the lines of one feed()
    std::vector<qsizetype> m_special;   // scratch: dropLines' special bytes
    QList<jobs::ProgressEvent> m_events;
    qint64 m_lines = 0;
    bool m_dropping = false;
};

// What an error line looks like: a Python traceback header, "ERROR" or "Error:" (visible text).
bool looksLikeError(QByteArrayView text);

// The chart's point for a progress or eval event that carries a step; nullopt for other events.
std::optional<jobs::MetricPoint> metricPoint(const jobs::ProgressEvent &event);

} // namespace vibeml::joblog

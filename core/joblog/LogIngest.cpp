#include "joblog/LogIngest.h"

#include <QString>

#include <cstring>
#include <utility>

namespace vibeml::joblog {
namespace {

constexpr char kEscape = '\x1b';

// Four bytes compared as one word (a memcmp call costs more than the comparison).
bool sameBytes(const char *at, const char (&four)[5])
{
    quint32 left = 0;
    quint32 right = 0;
    std::memcpy(&left, at, sizeof left);
    std::memcpy(&right, four, sizeof right);
    return left == right;
}

// SkyPilot's "(setup pid=2841) " / "(task, pid=3012) " in front of a line; 0 when there is none.
qsizetype skyPrefixLength(QByteArrayView line)
{
    constexpr qsizetype kLongestPrefix = 160;
    if (line.isEmpty() || line.front() != '(')
        return 0;
    // The first ") " within the first kLongestPrefix bytes closes it.
    const char *const begin = line.data();
    const char *const limit = begin + std::min(line.size(), kLongestPrefix);
    const char *close = begin + 1;
    for (;;) {
        close = static_cast<const char *>(std::memchr(close, ')', static_cast<size_t>(limit - close)));
        if (!close || close + 1 >= limit)
            return 0;
        if (close[1] == ' ')
            break;
        ++close;
    }
    if (close - begin < 2)
        return 0;
    // What is inside ends in "pid=" and at least one digit.
    const char *digits = close;
    while (digits > begin + 1 && digits[-1] >= '0' && digits[-1] <= '9')
        --digits;
    if (digits == close || digits - (begin + 1) < 4 || !sameBytes(digits - 4, "pid="))
        return 0;
    return (close - begin) + 2;
}

qsizetype utf8Boundary(QByteArrayView text, qsizetype at)
{
    while (at > 0 && (static_cast<uchar>(text[at]) & 0xc0) == 0x80)
        --at;
    return at;
}

} // namespace

bool looksLikeError(QByteArrayView text)
{
    return scanLine(text).looksLikeError;
}

std::optional<jobs::MetricPoint> metricPoint(const jobs::ProgressEvent &event)
{
    using Kind = jobs::ProgressEvent::Kind;
    if (!event.step)
        return std::nullopt;
    jobs::MetricPoint point;
    point.step = *event.step;
    point.time = event.time;
    if (event.kind == Kind::Progress && (event.loss || event.learningRate)) {
        point.loss = event.loss;
        point.learningRate = event.learningRate;
        return point;
    }
    if (event.kind == Kind::Eval && event.evalLoss) {
        point.evalLoss = event.evalLoss;
        return point;
    }
    return std::nullopt;
}

LogIngest::LogIngest(LineSink &sink) : m_sink(sink), m_batch(dynamic_cast<LogBatch *>(&sink)) {}

void LogIngest::feed(QByteArrayView bytes)
{
    const char *at = bytes.data();
    const char *const end = at + bytes.size();
    if (!m_pending.isEmpty() && at < end) {
        const auto *newline = static_cast<const char *>(std::memchr(at, '\n', static_cast<size_t>(end - at)));
        if (!newline) {
            m_pending.append(at, end - at);
            shortenPending();
            return;
        }
        m_pending.append(at, newline - at);
        processLine(m_pending);
        m_pending.clear();
        at = newline + 1;
    }
    if (at == end)
        return;
    const QByteArrayView rest(at, end - at);
    qsizetype unfinished = 0;
    if (m_dropping) {
        unfinished = dropLines(rest);
    } else {
        m_scanned.clear();
        unfinished = scanLines(rest, m_scanned);
        for (const ScannedLine &line : m_scanned)
            takeScannedLine(rest.sliced(line.begin, line.end - line.begin), line.scan);
    }
    if (unfinished < rest.size()) {
        m_pending = rest.sliced(unfinished).toByteArray();
        shortenPending();
    }
}

qsizetype LogIngest::dropLines(QByteArrayView bytes)
{
    const char *const data = bytes.data();
    const auto *lastNewline = static_cast<const char *>(memrchr(data, '\n', static_cast<size_t>(bytes.size())));
    if (!lastNewline)
        return 0;
    const qsizetype end = lastNewline - data + 1;
    m_special.clear();
    qsizetype counted = findSpecialBytes(bytes.first(end), m_special);
    qsizetype lineEnd = -1; // the '\n' of the last line looked at
    for (const qsizetype at : m_special) {
        if (at < lineEnd)
            continue; // that line's
        const qsizetype searchFrom = lineEnd + 1;
        const auto *before = static_cast<const char *>(memrchr(data + searchFrom, '\n', static_cast<size_t>(at - searchFrom)));
        const qsizetype begin = before ? before - data + 1 : searchFrom;
        lineEnd = static_cast<const char *>(std::memchr(data + at, '\n', static_cast<size_t>(end - at))) - data;
        const QByteArrayView line(data + begin, lineEnd - begin);
        dropScannedLine(line, scanLine(line)); // counts it
        --counted;
    }
    m_lines += counted;
    m_batch->appendDroppedLines(counted);
    return end;
}

void LogIngest::dropScannedLine(QByteArrayView line, const LineScan &scan)
{
    // Every pattern begins with 'E', 'T' or '@', and what a terminal shows of a line is some of
    // its bytes: a line without any of the three shows no pattern, whatever its escapes and
    // redraws; its colour changes are all its SGR sequences in order (collapseRedraws applies
    // the overwritten ones, rendering the rest). Invalid UTF-8 never makes or breaks a pattern.
    if (scan.hasOtherControls || !m_style.isPlain()) {
        // (Redraws with escapes: SkyPilot's prefix is rendered again after its redraws, so the
        // full path, which is exact by definition.)
        if ((scan.hasCarriageReturn && scan.hasOtherControls) || hasPatternStart(line)) {
            processLine(line, &scan); // the flags are judged on what is shown: render it
            return;
        }
        if (scan.hasOtherControls)
            applySgrSequences(line, m_style);
        ++m_lines;
        m_batch->appendDroppedLine(0);
        return;
    }
    if (!scan.looksLikeError && !scan.hasProgressMarker) { // no pattern in the bytes, none shown
        ++m_lines;
        m_batch->appendDroppedLine(0);
        return;
    }
    // A progress line is parsed from what is shown: after its redraws, UTF-8 repaired.
    if (scan.hasCarriageReturn || (scan.hasNonAscii && !isValidUtf8(line))) {
        processLine(line, &scan);
        return;
    }
    ++m_lines;
    m_batch->appendDroppedLine(patternFlags(line, scan));
}

void LogIngest::takeScannedLine(QByteArrayView line, const LineScan &scan)
{
    if (m_dropping) {
        dropScannedLine(line, scan);
        return;
    }
    // Without control bytes there is no '\r' to collapse and nothing to render; with the default
    // colours no span to add. Invalid UTF-8 is repaired on the full path.
    if (scan.hasControls() || !m_style.isPlain() || (scan.hasNonAscii && !isValidUtf8(line))) {
        processLine(line, &scan);
        return;
    }
    ++m_lines;
    const quint8 flags = scan.looksLikeError || scan.hasProgressMarker ? patternFlags(line, scan) : 0;
    if (m_batch)
        m_batch->appendPlainLine(line, flags);
    else
        m_sink.appendLine(line, flags, {});
}

void LogIngest::finish()
{
    if (m_pending.isEmpty())
        return;
    processLine(m_pending);
    m_pending.clear();
}

void LogIngest::reset()
{
    m_pending.clear();
    m_style = {};
    m_events.clear();
}

bool LogIngest::adoptContinuation(LogIngest &later)
{
    if (!m_pending.isEmpty() || !m_style.isPlain())
        return false;
    m_style = later.m_style;
    m_pending = std::exchange(later.m_pending, {});
    m_lines += std::exchange(later.m_lines, 0);
    m_events.append(later.takeEvents());
    return true;
}

QList<jobs::ProgressEvent> LogIngest::takeEvents()
{
    return std::exchange(m_events, {});
}

void LogIngest::shortenPending()
{
    while (m_pending.size() > kMaxPendingBytes) {
        QByteArrayView pending(m_pending);
        qsizetype end = pending.size();
        while (end > 0 && pending[end - 1] == '\r')
            --end;
        const qsizetype carriage = pending.first(end).lastIndexOf('\r');
        const qsizetype prefix = skyPrefixLength(pending.first(std::max<qsizetype>(carriage, 0)));
        if (carriage > prefix) {
            // Only the last redraw will be seen; keep the colour changes of the ones before it,
            // and SkyPilot's prefix.
            applySgrSequences(pending.sliced(prefix, carriage - prefix), m_style);
            m_pending.remove(prefix, carriage - prefix);
            continue;
        }
        const qsizetype cut = std::max<qsizetype>(1, utf8Boundary(pending, kMaxPendingBytes));
        processLine(pending.first(cut));
        m_pending.remove(0, cut);
    }
}

void LogIngest::processLine(QByteArrayView raw, const LineScan *known)
{
    ++m_lines;
    LineScan scan;
    if (!known || known->hasCarriageReturn) {
        raw = collapseRedraws(raw, !known || known->hasOtherControls);
        // What is left has no '\r' and is a part of the scanned line, or SkyPilot's prefix from
        // it joined to one (no pattern holds the prefix's closing ") ", so none forms across the
        // join). So the scan still holds, where it found no pattern: "controls" and "non-ASCII"
        // may now be false alarms, which only cost a closer look below.
        if (known && !known->looksLikeError && !known->hasProgressMarker)
            scan = *known;
        else
            scan = scanLine(raw);
        scan.hasCarriageReturn = false;
    } else {
        scan = *known;
    }

    QByteArray repaired;
    if (scan.hasNonAscii && !isValidUtf8(raw)) {
        repaired = QString::fromUtf8(raw).toUtf8(); // each invalid sequence becomes U+FFFD
        raw = repaired;
    }

    QByteArrayView text = raw;
    std::span<const StyleSpan> spans;
    if (scan.hasControls() || !m_style.isPlain()) {
        m_text.clear();
        m_spans.clear();
        renderTerminalLine(raw, m_style, m_text, m_spans);
        text = QByteArrayView(m_text.data(), static_cast<qsizetype>(m_text.size()));
        spans = m_spans;
        scan = scanPatterns(text); // errors and progress are judged on what is shown
    }

    finishLine(text, scan, spans);
}

QByteArrayView LogIngest::collapseRedraws(QByteArrayView raw, bool mayHaveEscapes)
{
    // '\r' redraws: a terminal shows what follows the last '\r' (a trailing one, as in CRLF,
    // blanks nothing); colours set by the overwritten redraws still apply.
    qsizetype end = raw.size();
    while (end > 0 && raw[end - 1] == '\r')
        --end;
    raw = raw.first(end);
    const void *carriage = end ? memrchr(raw.data(), '\r', static_cast<size_t>(end)) : nullptr;
    if (!carriage)
        return raw;
    const qsizetype at = static_cast<const char *>(carriage) - raw.data();
    const QByteArrayView overwritten = raw.first(at);
    if (mayHaveEscapes && std::memchr(overwritten.data(), kEscape, static_cast<size_t>(at)))
        applySgrSequences(overwritten, m_style);
    // SkyPilot prefixes the line once, before the first redraw: keep saying who printed it.
    const qsizetype prefix = skyPrefixLength(overwritten);
    const QByteArrayView shown = raw.sliced(at + 1);
    // (The first byte first: a redraw seldom starts with the prefix, and memcmp is a call.)
    if (prefix == 0 || (shown.size() >= prefix && shown.front() == raw.front() && shown.startsWith(raw.first(prefix))))
        return shown;
    m_joined.assign(raw.data(), static_cast<size_t>(prefix));
    m_joined.append(shown.data(), static_cast<size_t>(shown.size()));
    return QByteArrayView(m_joined.data(), static_cast<qsizetype>(m_joined.size()));
}

void LogIngest::finishLine(QByteArrayView text, const LineScan &scan, std::span<const StyleSpan> spans)
{
    if (m_dropping) {
        m_batch->appendDroppedLine(patternFlags(text, scan));
        return;
    }
    m_sink.appendLine(text, patternFlags(text, scan), spans);
}

quint8 LogIngest::patternFlags(QByteArrayView text, const LineScan &scan)
{
    quint8 flags = scan.looksLikeError ? ErrorLine : 0;
    if (scan.hasProgressMarker) {
        if (std::optional<jobs::ProgressEvent> event = jobs::parseProgressLine(text)) {
            flags |= ProgressLine;
            if (event->kind == jobs::ProgressEvent::Kind::Error)
                flags |= ErrorLine;
            m_events.append(std::move(*event));
        }
    }
    return flags;
}

} // namespace vibeml::joblog

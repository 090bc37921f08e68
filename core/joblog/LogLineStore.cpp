#include "joblog/LogLineStore.h"

#include <algorithm>
#include <iterator>

namespace vibeml::joblog {
namespace {

constexpr size_t kChunkLines = LogChunk::kMaxLines;
constexpr size_t kChunkBytes = LogChunk::kMaxBytes;
constexpr size_t kFirstChunkBytes = size_t{64} << 10;
// A longer line is cut here (the full line stays in the file on disk).
constexpr qsizetype kMaxStoredLineBytes = qsizetype{16} << 20;

qsizetype utf8Boundary(QByteArrayView text, qsizetype at)
{
    while (at > 0 && (static_cast<uchar>(text[at]) & 0xc0) == 0x80)
        --at;
    return at;
}

} // namespace

void LogChunk::seal()
{
    // Sealed chunks never grow again: give back what the growth strategy over-reserved.
    if (text.capacity() > text.size() + text.size() / 32)
        text.shrink_to_fit();
    ends.shrink_to_fit();
    flags.shrink_to_fit();
    spanLines.shrink_to_fit();
    spans.shrink_to_fit();
}

void LogChunk::append(QByteArrayView line, quint8 lineFlags, std::span<const StyleSpan> lineSpans)
{
    const auto local = static_cast<quint32>(ends.size());
    appendText(line, lineFlags);
    const auto limit = static_cast<quint32>(line.size());
    for (StyleSpan span : lineSpans) {
        if (span.start >= limit || span.length == 0)
            continue;
        span.length = std::min(span.length, limit - span.start);
        spanLines.push_back(local);
        spans.push_back(span);
    }
}

QByteArrayView clampStoredLine(QByteArrayView text)
{
    return text.size() > kMaxStoredLineBytes ? text.first(utf8Boundary(text, kMaxStoredLineBytes)) : text;
}

void LogBatch::appendLine(QByteArrayView text, quint8 flags, std::span<const StyleSpan> spans)
{
    text = clampStoredLine(text);
    const auto size = static_cast<size_t>(text.size());
    if (m_chunks.empty() || !m_chunks.back().hasRoomFor(size)) {
        if (!m_chunks.empty()) {
            m_expectedChunkBytes = m_chunks.back().text.size() + m_chunks.back().text.size() / 64;
            m_chunks.back().seal();
        }
        // Sized like the previous chunk, as the store does, so sealing seldom has to copy.
        LogChunk &chunk = m_chunks.emplace_back();
        chunk.text.reserve(std::max(size, std::min(m_expectedChunkBytes, kChunkBytes)));
        chunk.ends.reserve(kChunkLines);
        chunk.flags.reserve(kChunkLines);
    }
    m_chunks.back().append(text, flags, spans);
    countLine(text);
}

void LogBatch::appendBatch(LogBatch &&later)
{
    if (later.m_droppedLines > 0) {
        if (m_lines > 0)
            dropKeptLines();
        m_droppedLines += later.m_droppedLines;
        m_droppedErrors += later.m_droppedErrors;
        later.m_droppedLines = 0;
        later.m_droppedErrors = 0;
    }
    if (later.m_chunks.empty()) {
        later.clear();
        return;
    }
    if (!m_chunks.empty())
        m_chunks.back().seal();
    m_chunks.insert(m_chunks.end(), std::make_move_iterator(later.m_chunks.begin()), std::make_move_iterator(later.m_chunks.end()));
    m_lines += later.m_lines;
    m_textBytes += later.m_textBytes;
    m_longestLine = std::max(m_longestLine, later.m_longestLine);
    m_expectedChunkBytes = later.m_expectedChunkBytes;
    later.clear();
}

void LogBatch::dropKeptLines()
{
    for (const LogChunk &chunk : m_chunks)
        m_droppedErrors += std::count_if(chunk.flags.begin(), chunk.flags.end(), [](quint8 flags) { return (flags & ErrorLine) != 0; });
    m_droppedLines += m_lines;
    m_chunks.clear();
    m_lines = 0;
    m_textBytes = 0;
    m_longestLine = 0;
}

void LogBatch::clear()
{
    m_chunks.clear();
    m_lines = 0;
    m_droppedLines = 0;
    m_droppedErrors = 0;
    m_textBytes = 0;
    m_longestLine = 0;
}

LogLineStore::LogLineStore(qsizetype maxLines) : m_maxLines(std::max<qsizetype>(1, maxLines)) {}

LogLineStore::Chunk &LogLineStore::writableChunk(qsizetype textSize)
{
    const auto size = static_cast<size_t>(textSize);
    if (!m_chunks.empty()) {
        Chunk &back = m_chunks.back();
        if (back.hasRoomFor(size) && back.end() == m_end) // not across dropped lines
            return back;
        m_lastChunkBytes = back.text.size();
        back.seal();
    }
    Chunk &chunk = m_chunks.emplace_back();
    chunk.first = m_end;
    // Sized like the previous chunk (lines tend to look alike), so most chunks never reallocate.
    const size_t expected = m_lastChunkBytes ? m_lastChunkBytes + m_lastChunkBytes / 64 : kFirstChunkBytes;
    chunk.text.reserve(std::max(size, std::min(expected, kChunkBytes)));
    chunk.ends.reserve(kChunkLines);
    chunk.flags.reserve(kChunkLines);
    return chunk;
}

void LogLineStore::appendLine(QByteArrayView text, quint8 flags, std::span<const StyleSpan> spans)
{
    text = clampStoredLine(text);
    writableChunk(text.size()).append(text, flags, spans);
    if (flags & ErrorLine) {
        m_errors.push_back(m_end);
        ++m_errorsSeen;
    }
    m_textBytes += text.size();
    m_longestLine = std::max(m_longestLine, text.size());
    ++m_end;
    ++m_staged;
}

void LogLineStore::appendBatch(LogBatch &&batch)
{
    if (batch.m_droppedLines > 0) {
        // Never rows: they and every line before them leave at the next publish.
        m_end += batch.m_droppedLines;
        m_staged += batch.m_droppedLines;
        m_errorsSeen += batch.m_droppedErrors;
        m_dropUntil = m_end;
    }
    for (Chunk &incoming : batch.m_chunks) {
        const bool small = incoming.ends.size() < kChunkLines / 4 && incoming.text.size() < kChunkBytes / 4;
        if (small) { // a trickle: copied, so a slow log does not leave a chunk per read behind
            for (size_t i = 0; i < incoming.ends.size(); ++i) {
                const quint32 start = i ? incoming.ends[i - 1] : 0;
                const auto local = static_cast<quint32>(i);
                const auto low = std::lower_bound(incoming.spanLines.begin(), incoming.spanLines.end(), local);
                const auto high = std::upper_bound(low, incoming.spanLines.end(), local);
                const std::span<const StyleSpan> spans(incoming.spans.data() + (low - incoming.spanLines.begin()),
                                                       static_cast<size_t>(high - low));
                appendLine(QByteArrayView(incoming.text.data() + start, incoming.ends[i] - start), incoming.flags[i], spans);
            }
            continue;
        }
        if (!m_chunks.empty()) {
            m_lastChunkBytes = m_chunks.back().text.size();
            m_chunks.back().seal();
        }
        incoming.first = m_end;
        incoming.seal();
        Chunk &adopted = m_chunks.emplace_back(std::move(incoming));
        for (size_t i = 0; i < adopted.flags.size(); ++i) {
            if (adopted.flags[i] & ErrorLine) {
                m_errors.push_back(m_end + static_cast<qint64>(i));
                ++m_errorsSeen;
            }
        }
        const auto lines = static_cast<qint64>(adopted.ends.size());
        m_textBytes += static_cast<qint64>(adopted.text.size());
        m_end += lines;
        m_staged += lines;
    }
    m_longestLine = std::max(m_longestLine, batch.m_longestLine);
    batch.clear();
}

qsizetype LogLineStore::overflowRows() const
{
    const qsizetype excess = m_published + m_staged - m_maxLines;
    const auto dropped = static_cast<qsizetype>(m_dropUntil - m_begin); // rows before dropped lines
    return std::clamp<qsizetype>(std::max(excess, dropped), 0, m_published);
}

void LogLineStore::removeFrontRows(qsizetype count)
{
    count = std::clamp<qsizetype>(count, 0, m_published);
    dropFront(count);
    m_published -= count;
}

qsizetype LogLineStore::publishableCount() const
{
    // Staged lines from the last dropped one on; those before it are never published.
    const auto live = static_cast<qsizetype>(m_end - std::max(m_dropUntil, m_begin + m_published));
    return std::min(live, std::max<qsizetype>(0, m_maxLines - (m_published - overflowRows())));
}

qsizetype LogLineStore::publish()
{
    // Callers announce and remove the overflow first; if one did not, keep the cap anyway.
    Q_ASSERT(overflowRows() == 0);
    removeFrontRows(overflowRows());
    const qsizetype added = publishableCount();
    const qsizetype skipped = m_staged - added; // staged lines that would leave at once
    if (skipped > 0)
        dropFront(skipped);
    m_staged = 0;
    m_published += added;
    return added;
}

void LogLineStore::commit()
{
    removeFrontRows(overflowRows());
    publish();
}

void LogLineStore::dropFront(qint64 count)
{
    if (count <= 0)
        return;
    const qint64 newBegin = m_begin + count;
    for (const Chunk &chunk : m_chunks) {
        if (chunk.first >= newBegin)
            break;
        const auto from = static_cast<size_t>(std::max(m_begin, chunk.first) - chunk.first);
        const auto to = static_cast<size_t>(std::min(newBegin, chunk.end()) - chunk.first);
        if (to > from)
            m_textBytes -= chunk.ends[to - 1] - (from ? chunk.ends[from - 1] : 0);
    }
    m_begin = newBegin;
    while (!m_chunks.empty() && m_chunks.front().end() <= m_begin)
        m_chunks.pop_front();
    while (!m_errors.empty() && m_errors.front() < m_begin)
        m_errors.pop_front();
}

void LogLineStore::setMaxLines(qsizetype maxLines)
{
    m_maxLines = std::max<qsizetype>(1, maxLines);
}

const LogLineStore::Chunk &LogLineStore::chunkFor(qint64 absolute) const
{
    if (m_chunks.back().first <= absolute) // most reads are near the tail
        return m_chunks.back();
    const auto after = std::upper_bound(m_chunks.begin(), m_chunks.end(), absolute,
                                        [](qint64 value, const Chunk &chunk) { return value < chunk.first; });
    return *std::prev(after);
}

LogLine LogLineStore::lineAt(const Chunk &chunk, qsizetype local) const
{
    const auto index = static_cast<size_t>(local);
    const quint32 start = index ? chunk.ends[index - 1] : 0;
    LogLine line;
    line.text = QByteArrayView(chunk.text.data() + start, chunk.ends[index] - start);
    line.flags = chunk.flags[index];
    if (!chunk.spanLines.empty()) {
        const auto [low, high] = std::equal_range(chunk.spanLines.begin(), chunk.spanLines.end(), static_cast<quint32>(local));
        line.spans = std::span<const StyleSpan>(chunk.spans.data() + (low - chunk.spanLines.begin()),
                                                static_cast<size_t>(high - low));
    }
    return line;
}

LogLine LogLineStore::line(qsizetype row) const
{
    if (row < 0 || row >= m_published)
        return {};
    const qint64 absolute = m_begin + row;
    const Chunk &chunk = chunkFor(absolute);
    return lineAt(chunk, absolute - chunk.first);
}

std::optional<qsizetype> LogLineStore::firstErrorRow() const
{
    if (m_errors.empty() || m_errors.front() >= m_begin + m_published)
        return std::nullopt;
    return m_errors.front() - m_begin;
}

std::optional<qsizetype> LogLineStore::nextErrorRow(qsizetype afterRow) const
{
    const auto next = std::upper_bound(m_errors.begin(), m_errors.end(), m_begin + afterRow);
    if (next == m_errors.end() || *next >= m_begin + m_published)
        return std::nullopt;
    return *next - m_begin;
}

std::optional<qsizetype> LogLineStore::find(const TextMatcher &matcher, qsizetype fromRow, SearchDirection direction,
                                            bool wrap) const
{
    const qsizetype count = m_published;
    if (matcher.isEmpty() || count == 0)
        return std::nullopt;
    auto matches = [&](qsizetype row) { return matcher.matches(line(row).text); };
    if (direction == SearchDirection::Forward) {
        for (qsizetype row = std::max<qsizetype>(fromRow + 1, 0); row < count; ++row) {
            if (matches(row))
                return row;
        }
        for (qsizetype row = 0; wrap && row <= std::min(fromRow, count - 1); ++row) {
            if (matches(row))
                return row;
        }
        return std::nullopt;
    }
    for (qsizetype row = std::min(fromRow - 1, count - 1); row >= 0; --row) {
        if (matches(row))
            return row;
    }
    for (qsizetype row = count - 1; wrap && row >= std::max<qsizetype>(fromRow, 0); --row) {
        if (matches(row))
            return row;
    }
    return std::nullopt;
}

qint64 LogLineStore::memoryBytes() const
{
    qint64 bytes = sizeof(*this);
    for (const Chunk &chunk : m_chunks) {
        bytes += static_cast<qint64>(sizeof(Chunk) + chunk.text.capacity() + chunk.ends.capacity() * sizeof(quint32)
                                     + chunk.flags.capacity() + chunk.spanLines.capacity() * sizeof(quint32)
                                     + chunk.spans.capacity() * sizeof(StyleSpan));
    }
    bytes += static_cast<qint64>(m_errors.size() * sizeof(qint64));
    return bytes;
}

void LogLineStore::clear()
{
    m_chunks.clear();
    m_errors.clear();
    m_begin = 0;
    m_end = 0;
    m_dropUntil = 0;
    m_published = 0;
    m_staged = 0;
    m_errorsSeen = 0;
    m_textBytes = 0;
    m_longestLine = 0;
    m_lastChunkBytes = 0;
}

} // namespace vibeml::joblog

#pragma once

#include "joblog/AnsiText.h"
#include "joblog/LogSearch.h"

#include <QByteArrayView>

#include <algorithm>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

// The retained part of a job's log (the full log stays on disk), compact enough to keep hundreds
// of thousands of lines: the text of every line back to back in large UTF-8 blocks, a 4-byte end
// offset and a flag byte per line, and colour spans only for the lines that have colour.
namespace vibeml::joblog {

enum LineFlag : quint8 {
    ErrorLine = 0x01,    // a traceback, "ERROR", "Error:", or the script's error event
    ProgressLine = 0x02, // the script's "@@VIBEML@@ {json}" progress line
};

struct LogLine
{
    QByteArrayView text; // valid UTF-8, no escape sequences, no line break
    std::span<const StyleSpan> spans;
    quint8 flags = 0;

    bool isError() const { return (flags & ErrorLine) != 0; }
};

// Receives finished lines; LogIngest writes to one.
class LineSink
{
public:
    virtual ~LineSink() = default;
    virtual void appendLine(QByteArrayView text, quint8 flags, std::span<const StyleSpan> spans) = 0;
};

// Lines back to back: the unit the store keeps and the unit a LogBatch hands over whole.
struct LogChunk
{
    static constexpr size_t kMaxLines = 4096;
    static constexpr size_t kMaxBytes = size_t{1} << 20;

    qint64 first = 0; // absolute index of the chunk's first line (set by the store)
    std::string text;
    std::vector<quint32> ends; // end offset of each line in text
    std::vector<quint8> flags;
    std::vector<quint32> spanLines; // line (chunk-relative) of each span, ascending
    std::vector<StyleSpan> spans;

    qint64 end() const { return first + static_cast<qint64>(ends.size()); }
    qsizetype lineCount() const { return static_cast<qsizetype>(ends.size()); }
    bool hasRoomFor(size_t bytes) const { return ends.size() < kMaxLines && (ends.empty() || text.size() + bytes <= kMaxBytes); }
    void append(QByteArrayView line, quint8 lineFlags, std::span<const StyleSpan> lineSpans);
    void appendText(QByteArrayView line, quint8 lineFlags) // append without colour spans
    {
        text.append(line.data(), static_cast<size_t>(line.size()));
        ends.push_back(static_cast<quint32>(text.size()));
        flags.push_back(lineFlags);
    }
    void seal(); // gives back spare capacity
};

// The longest line kept; a longer one is cut at a character boundary (the file has it whole).
QByteArrayView clampStoredLine(QByteArrayView text);

// Finished lines collected away from the store (on the ingest thread), handed over whole:
// LogLineStore::appendBatch adopts its chunks without copying the text again. A batch may begin
// with dropped lines: lines known to leave the scrollback before they could be seen (the front of
// a long backlog, LogFileTail::setKeepLines), counted but not kept. A dropped line drops every
// line before it too, so they always come first.
class LogBatch final : public LineSink
{
public:
    void appendLine(QByteArrayView text, quint8 flags, std::span<const StyleSpan> spans = {}) override;
    // appendLine for a line without colours, the common case, inline: into the open chunk when it
    // has room (a line to cut never has: it is longer than a chunk), otherwise as appendLine.
    void appendPlainLine(QByteArrayView text, quint8 flags)
    {
        if (m_chunks.empty() || !m_chunks.back().hasRoomFor(static_cast<size_t>(text.size()))) {
            appendLine(text, flags, {});
            return;
        }
        m_chunks.back().appendText(text, flags);
        countLine(text);
    }
    // Moves the lines of `later` after these (its chunks, not copied); leaves `later` empty.
    void appendBatch(LogBatch &&later);
    // A line that will leave the scrollback unseen: only counted (with its error flag).
    void appendDroppedLine(quint8 flags)
    {
        appendDroppedLines(1);
        m_droppedErrors += (flags & ErrorLine) ? 1 : 0;
    }
    void appendDroppedLines(qsizetype count) // without error flags
    {
        if (count <= 0)
            return;
        if (m_lines > 0)
            dropKeptLines();
        m_droppedLines += count;
    }

    // The text capacity a new chunk starts with (learnt from the chunks so far): a batch that
    // starts like another one's grows its first chunk without copying it again and again.
    size_t expectedChunkBytes() const { return m_expectedChunkBytes; }
    void setExpectedChunkBytes(size_t bytes) { m_expectedChunkBytes = bytes; }

    qsizetype lineCount() const { return m_lines + m_droppedLines; } // dropped ones too
    qsizetype droppedLineCount() const { return m_droppedLines; }
    qint64 textBytes() const { return m_textBytes; }
    bool isEmpty() const { return lineCount() == 0; }
    void clear();

private:
    friend class LogLineStore;
    void dropKeptLines(); // the kept lines become dropped ones
    void countLine(QByteArrayView text)
    {
        ++m_lines;
        m_textBytes += text.size();
        m_longestLine = std::max(m_longestLine, text.size());
    }

    std::vector<LogChunk> m_chunks;
    qsizetype m_lines = 0; // kept
    qsizetype m_droppedLines = 0; // before the kept ones
    qsizetype m_droppedErrors = 0;
    qint64 m_textBytes = 0;
    qsizetype m_longestLine = 0;
    size_t m_expectedChunkBytes = size_t{64} << 10; // kept across clear()
};

// Lines arrive "staged" and become rows only when published, so a model can announce the change
// first: removeFrontRows(overflowRows()) (beginRemoveRows), then publish() (beginInsertRows). Rows
// beyond the cap leave from the front. Row numbers count retained, published lines from 0.
class LogLineStore final : public LineSink
{
public:
    static constexpr qsizetype kDefaultMaxLines = 200'000;

    explicit LogLineStore(qsizetype maxLines = kDefaultMaxLines);

    void appendLine(QByteArrayView text, quint8 flags, std::span<const StyleSpan> spans = {}) override;
    // Stages every line of `batch` (big chunks are adopted as they are, small ones copied into
    // the last chunk); leaves `batch` empty.
    void appendBatch(LogBatch &&batch);
    qsizetype stagedCount() const { return m_staged; }

    qsizetype overflowRows() const; // published rows that must leave so the staged lines fit
    void removeFrontRows(qsizetype count);
    qsizetype publishableCount() const; // rows publish() will add
    qsizetype publish();                // returns the number of rows added
    void commit();                      // both steps, for callers without a model

    qsizetype size() const { return m_published; }
    LogLine line(qsizetype row) const;
    qint64 lineNumber(qsizetype row) const { return m_begin + row + 1; } // 1-based, in the whole log
    qint64 totalLines() const { return m_end; }                          // every line ever appended
    qint64 droppedLines() const { return m_begin; }

    qsizetype maxLines() const { return m_maxLines; }
    void setMaxLines(qsizetype maxLines); // takes effect at the next publish

    qint64 errorLineCount() const { return m_errorsSeen; } // every error line, dropped ones too
    std::optional<qsizetype> firstErrorRow() const;
    std::optional<qsizetype> nextErrorRow(qsizetype afterRow) const;

    // The next row (after `fromRow` forward, before it backward) whose text matches, wrapping
    // around once when asked; fromRow may be -1 / size() to start at either end.
    std::optional<qsizetype> find(const TextMatcher &matcher, qsizetype fromRow, SearchDirection direction,
                                  bool wrap = true) const;

    qint64 textBytes() const { return m_textBytes; } // UTF-8 bytes of the retained lines
    qint64 memoryBytes() const;                      // everything the store holds, spare capacity too
    qsizetype longestLine() const { return m_longestLine; } // bytes; grows only, until clear()

    void clear();

private:
    using Chunk = LogChunk;

    const Chunk &chunkFor(qint64 absolute) const;
    LogLine lineAt(const Chunk &chunk, qsizetype local) const;
    void dropFront(qint64 count);
    Chunk &writableChunk(qsizetype textSize);

    std::deque<Chunk> m_chunks;
    std::deque<qint64> m_errors; // absolute indices of retained error lines
    qint64 m_begin = 0;          // absolute index of row 0
    qint64 m_end = 0;            // absolute index past the last staged line
    qsizetype m_published = 0;
    qsizetype m_staged = 0;
    qsizetype m_maxLines;
    qint64 m_errorsSeen = 0;
    qint64 m_textBytes = 0;
    qsizetype m_longestLine = 0;
    size_t m_lastChunkBytes = 0;
    qint64 m_dropUntil = 0; // lines before this absolute index leave unpublished (dropped batch lines)
};

} // namespace vibeml::joblog

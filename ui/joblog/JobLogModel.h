#pragma once

#include "joblog/LogFileTail.h"
#include "joblog/LogIngest.h"
#include "joblog/LogLineStore.h"
#include "jobs/TrainingProgress.h"

#include <QAbstractListModel>
#include <QList>
#include <QTimer>

namespace vibeml {

// A job's training log as a list model over the bounded LogLineStore: one row per line, at most
// maxLines() rows (older ones leave from the front; the whole log stays on disk). Bytes arrive at
// any rate; rows are announced at most once per frame — one beginInsertRows per batch — so a view
// on a log that grows by 50,000 lines a second repaints 60 times a second, not 50,000.
class JobLogModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        LineNumberRole = Qt::UserRole + 1, // qint64, 1-based, in the whole log
        ErrorRole,                         // bool
        ProgressRole,                      // bool: one of the script's "@@VIBEML@@" lines
    };

    static constexpr int kFrameMs = 16;

    explicit JobLogModel(QObject *parent = nullptr);

    void setMaxLines(qsizetype maxLines);
    qsizetype maxLines() const { return m_store.maxLines(); }

    // Raw `sky logs` bytes, in pieces of any size, decoded here (on this thread).
    void appendBytes(QByteArrayView bytes);
    // Lines decoded elsewhere (LogTailReader::linesRead, from its reader thread): their chunks
    // are taken over, not copied. Rows follow at the next frame, as for appendBytes.
    void appendLines(joblog::IngestedLines &lines);
    void finishInput(); // the log ended: its unfinished last line (from appendBytes) becomes a row
    void clear();       // a new log: no rows, no pending bytes, counters at zero
    void flush();       // announce what is pending now rather than at the next frame

    const joblog::LogLineStore &store() const { return m_store; }
    joblog::LogLine line(int row) const { return m_store.line(row); }
    QString text(int row) const;
    qint64 lineNumber(int row) const { return m_store.lineNumber(row); }
    qint64 totalLines() const { return m_store.totalLines(); }
    qint64 errorLineCount() const { return m_store.errorLineCount(); }
    int firstErrorRow() const;
    int find(const joblog::TextMatcher &matcher, int fromRow, joblog::SearchDirection direction) const; // -1: none

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    // The script's progress events found in the rows just announced, in log order.
    void progressEvents(const QList<vibeml::jobs::ProgressEvent> &events);
    void errorLineCountChanged(qint64 count);
    void cleared();

private:
    void scheduleFlush();

    joblog::LogLineStore m_store;
    joblog::LogIngest m_ingest{m_store};
    QTimer m_frame;
    QList<jobs::ProgressEvent> m_events; // from appendLines, for the next flush
    qint64 m_announcedErrors = 0;
};

} // namespace vibeml

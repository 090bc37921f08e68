#pragma once

#include <QByteArray>
#include <QFile>
#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

// Follows a log file that another process appends to (`tail -F`): reads what is new, a bounded
// amount per event-loop turn so the window stays responsive on a huge file, and notices when the
// file is truncated, replaced or rewritten (a re-fetched log), in which case it starts over from
// the first byte — the reader is told to forget what it had, so no line is ever shown twice.
// Change notification comes from QFileSystemWatcher, with a polling timer as the fallback for
// file systems that do not report changes.
namespace vibeml::joblog {

class LogFileTail : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kDefaultChunkBytes = qint64{1} << 20;
    static constexpr qint64 kDefaultBytesPerTurn = qint64{4} << 20;
    static constexpr int kDefaultPollMs = 1000;

    explicit LogFileTail(QObject *parent = nullptr);
    ~LogFileTail() override;

    // Follows `path` from its first byte (emitting reset() first); an empty path stops following.
    void setPath(const QString &path);
    QString path() const { return m_path; }

    void setPollInterval(int milliseconds);
    void setBytesPerTurn(qint64 bytes);
    void setChunkBytes(qint64 bytes);

    qint64 position() const { return m_position; } // bytes delivered from the current file
    bool isCaughtUp() const { return m_caughtUp; }

    // Looks at the file soon (on the next event-loop turn); the watcher and the timer call it.
    void checkSoon();

Q_SIGNALS:
    void reset(); // what was delivered so far no longer holds: the file was replaced or truncated
    void bytesRead(const QByteArray &bytes);
    void caughtUp(); // delivered everything the file had when last looked at

private:
    struct Identity
    {
        quint64 device = 0;
        quint64 inode = 0;
        friend bool operator==(const Identity &, const Identity &) = default;
    };

    void check();
    void startOver();
    bool headStillMatches();
    void watchPaths();

    QString m_path;
    QFile m_file;
    Identity m_identity;
    QByteArray m_head; // the first bytes delivered, to recognise a rewritten file
    qint64 m_position = 0;
    qint64 m_bytesPerTurn = kDefaultBytesPerTurn;
    qint64 m_chunkBytes = kDefaultChunkBytes;
    quint64 m_generation = 0; // bumped by setPath, so a slot that changes the path stops the loop
    bool m_caughtUp = false;
    bool m_checkScheduled = false;
    QFileSystemWatcher m_watcher;
    QTimer m_poll;
};

} // namespace vibeml::joblog

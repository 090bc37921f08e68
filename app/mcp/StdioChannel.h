#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace vibeml::mcp {

// Newline-delimited messages over a pair of file descriptors (stdin/stdout for the MCP stdio
// transport). Reading is driven by the event loop (a socket notifier, never a blocking read), and a
// message longer than the cap is dropped as it streams in, so no input can exhaust memory.
class StdioChannel : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype kDefaultMaxMessageBytes = 4 * 1024 * 1024;

    explicit StdioChannel(int readFd = 0, int writeFd = 1, qsizetype maxMessageBytes = kDefaultMaxMessageBytes,
                          QObject *parent = nullptr);
    ~StdioChannel() override;

    void start();
    // Writes one message and its newline; false when the other side has gone.
    bool send(const QByteArray &message);
    qsizetype maxMessageBytes() const { return m_maxBytes; }

Q_SIGNALS:
    void messageReceived(const QByteArray &message);
    void messageTooLarge(qsizetype bytesDropped);
    void closed(); // end of input, or a read error

private:
    void readAvailable();
    void takeLines();

    int m_readFd;
    int m_writeFd;
    qsizetype m_maxBytes;
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    bool m_discarding = false; // inside a message over the cap: drop until its newline
    qsizetype m_dropped = 0;
    bool m_closed = false;
};

} // namespace vibeml::mcp

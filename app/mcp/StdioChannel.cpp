#include "mcp/StdioChannel.h"

#include <QSocketNotifier>
#include <utility>

#include <cerrno>
#include <unistd.h>

namespace vibeml::mcp {

StdioChannel::StdioChannel(int readFd, int writeFd, qsizetype maxMessageBytes, QObject *parent)
    : QObject(parent), m_readFd(readFd), m_writeFd(writeFd), m_maxBytes(maxMessageBytes)
{
}

StdioChannel::~StdioChannel() = default;

void StdioChannel::start()
{
    m_notifier = new QSocketNotifier(m_readFd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdioChannel::readAvailable);
}

void StdioChannel::readAvailable()
{
    if (m_closed)
        return;
    // One read per wake-up: the notifier said data (or end of input) is there, so it cannot block.
    char chunk[64 * 1024];
    const ssize_t got = ::read(m_readFd, chunk, sizeof chunk);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (got <= 0) {
        m_closed = true;
        m_notifier->setEnabled(false);
        if (!m_discarding && !m_buffer.trimmed().isEmpty()) // a last message without its newline
            Q_EMIT messageReceived(std::exchange(m_buffer, {}));
        Q_EMIT closed();
        return;
    }
    m_buffer.append(chunk, got);
    takeLines();
}

void StdioChannel::takeLines()
{
    qsizetype start = 0;
    while (true) {
        const qsizetype newline = m_buffer.indexOf('\n', start);
        if (newline < 0)
            break;
        const qsizetype length = newline - start;
        if (m_discarding) {
            m_discarding = false;
            Q_EMIT messageTooLarge(m_dropped + length);
            m_dropped = 0;
        } else if (length > m_maxBytes) {
            Q_EMIT messageTooLarge(length);
        } else {
            QByteArray line = m_buffer.mid(start, length);
            if (line.endsWith('\r'))
                line.chop(1);
            if (!line.trimmed().isEmpty())
                Q_EMIT messageReceived(line);
        }
        start = newline + 1;
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > m_maxBytes) {
        // Too long already and no end in sight: keep nothing, remember to report it at its newline.
        m_dropped += m_buffer.size();
        m_buffer.clear();
        m_discarding = true;
    }
}

bool StdioChannel::send(const QByteArray &message)
{
    QByteArray bytes = message;
    bytes.append('\n');
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(m_writeFd, data, static_cast<size_t>(left));
        if (written < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return false;
        }
        data += written;
        left -= written;
    }
    return true;
}

} // namespace vibeml::mcp

#include "joblog/StretchDecoder.h"

#include <QThread>

#include <system_error>

namespace vibeml::joblog {

StretchDecoder::~StretchDecoder()
{
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_jobs.empty(); });
        m_quit = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

bool StretchDecoder::helps()
{
    static const bool several = QThread::idealThreadCount() > 1;
    return several;
}

bool StretchDecoder::start(std::shared_ptr<DecodedStretch> stretch, std::function<void()> decoded)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_jobs.size() >= kMaxQueued || m_noThread)
            return false;
        if (!m_thread.joinable()) {
            try {
                m_thread = std::thread([this] { run(); });
            } catch (const std::system_error &) {
                m_noThread = true; // the caller decodes every stretch itself
                return false;
            }
        }
        m_jobs.push_back(Job{std::move(stretch), std::move(decoded)});
    }
    m_changed.notify_all();
    return true;
}

void StretchDecoder::wait()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_jobs.empty(); });
}

void StretchDecoder::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_quit || !m_jobs.empty(); });
        if (m_jobs.empty())
            return; // quitting, nothing queued
        const std::shared_ptr<DecodedStretch> stretch = m_jobs.front().stretch;
        const std::function<void()> decoded = std::move(m_jobs.front().decoded);
        lock.unlock();
        stretch->decode();
        lock.lock();
        m_jobs.pop_front();
        m_changed.notify_all();
        lock.unlock();
        if (decoded)
            decoded();
        lock.lock();
    }
}

} // namespace vibeml::joblog

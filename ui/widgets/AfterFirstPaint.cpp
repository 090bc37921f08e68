#include "widgets/AfterFirstPaint.h"

#include <QEvent>
#include <QTimer>
#include <QWidget>

namespace vibeml {
namespace {

// Set on a window once a hook has seen it paint: later work need not wait for another paint.
constexpr const char *kPaintedProperty = "vibeml.firstPaintDone";

// Watches the window's events until its first paint; lives as the window's child.
class FirstPaintHook final : public QObject
{
public:
    FirstPaintHook(QWidget *window, std::function<void()> work, std::chrono::milliseconds fallback)
        : QObject(window), m_window(window), m_work(std::move(work))
    {
        window->installEventFilter(this);
        m_fallback.setSingleShot(true);
        connect(&m_fallback, &QTimer::timeout, this, &FirstPaintHook::run);
        m_fallback.start(fallback);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint) {
            m_window->setProperty(kPaintedProperty, true);
            m_window->removeEventFilter(this);
            m_fallback.stop();
            // Queued: the paint, and the flush of the whole frame that follows it, finish first.
            QTimer::singleShot(0, this, &FirstPaintHook::run);
        }
        return false;
    }

private:
    void run()
    {
        if (!m_work)
            return;
        m_window->removeEventFilter(this);
        m_fallback.stop();
        const std::function<void()> work = std::exchange(m_work, {});
        deleteLater();
        work();
    }

    QWidget *m_window;
    std::function<void()> m_work;
    QTimer m_fallback;
};

} // namespace

void runAfterFirstPaint(QWidget *window, std::function<void()> work, std::chrono::milliseconds fallback)
{
    Q_ASSERT(window);
    if (window->property(kPaintedProperty).toBool()) {
        QTimer::singleShot(0, window, std::move(work));
        return;
    }
    new FirstPaintHook(window, std::move(work), fallback);
}

} // namespace vibeml

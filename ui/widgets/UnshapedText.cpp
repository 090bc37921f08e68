#include "UnshapedText.h"

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QWidget>

namespace vibeml {
namespace {

void applyUnshaped(const QFont &base)
{
    QFont font = base;
    font.setStyleStrategy(QFont::StyleStrategy(font.styleStrategy() | QFont::PreferNoShaping));
    if (font != QApplication::font()) // QFont compares the style strategy too
        QApplication::setFont(font);
}

// The desktop's font changed (a theme change): take it, unshaped again.
class DesktopFontFollower : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::ThemeChange)
            applyUnshaped(QFontDatabase::systemFont(QFontDatabase::GeneralFont));
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

void useUnshapedText()
{
    applyUnshaped(QApplication::font());
}

void followDesktopFont(QWidget *window)
{
    window->installEventFilter(new DesktopFontFollower(window));
}

} // namespace vibeml

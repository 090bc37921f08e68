#include "widgets/UnshapedText.h"

#include "GuiTestMain.h"

#include <QFontDatabase>
#include <QLabel>

using namespace vibeml;

class TestUnshapedText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsTheDesktopFontWithoutShaping()
    {
        const QFont desktop = QApplication::font();
        useUnshapedText();
        const QFont font = QApplication::font();
        QVERIFY(font.styleStrategy() & QFont::PreferNoShaping);
        QCOMPARE(font.family(), desktop.family());
        QCOMPARE(font.pointSizeF(), desktop.pointSizeF());
        QCOMPARE(font.weight(), desktop.weight());
        QLabel label(QStringLiteral("Plan a run"));
        QVERIFY(label.font().styleStrategy() & QFont::PreferNoShaping);
        useUnshapedText(); // again: nothing changes
        QCOMPARE(QApplication::font(), font);
    }

    void followsTheDesktopFontWhenTheThemeChanges()
    {
        QWidget window;
        followDesktopFont(&window);
        // Something reset the application font to a plain one; the next theme change takes the
        // desktop's font again, unshaped.
        QApplication::setFont(QFont(QStringLiteral("DejaVu Serif"), 17));
        QEvent themeChange(QEvent::ThemeChange);
        QApplication::sendEvent(&window, &themeChange);
        const QFont font = QApplication::font();
        QVERIFY(font.styleStrategy() & QFont::PreferNoShaping);
        QCOMPARE(font.family(), QFontDatabase::systemFont(QFontDatabase::GeneralFont).family());
        QCOMPARE(font.pointSizeF(), QFontDatabase::systemFont(QFontDatabase::GeneralFont).pointSizeF());
    }

    void unshapedLatinTextMeasuresAlike()
    {
        // Without kerning a Latin string is at most a few pixels wider or narrower.
        QFont shaped = QApplication::font();
        shaped.setStyleStrategy(QFont::PreferDefault);
        QFont unshaped = shaped;
        unshaped.setStyleStrategy(QFont::PreferNoShaping);
        const QString text = QStringLiteral("SkyPilot is not answering: To view, try AV, Ty, Wa.");
        const int a = QFontMetrics(shaped).horizontalAdvance(text);
        const int b = QFontMetrics(unshaped).horizontalAdvance(text);
        QVERIFY2(qAbs(a - b) <= text.size() / 4, qPrintable(QStringLiteral("%1 vs %2").arg(a).arg(b)));
    }
};

VIBEML_TEST_MAIN_GUI(TestUnshapedText)

#include "tst_unshapedtext.moc"

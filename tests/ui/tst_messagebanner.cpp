#include "widgets/MessageBanner.h"

#include "GuiTestMain.h"

#include <QSignalSpy>
#include <QToolButton>

using namespace vibeml;

class TestMessageBanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsAndDismisses()
    {
        QWidget window;
        auto *banner = new MessageBanner(&window);
        window.show();
        QVERIFY(!banner->isVisible());
        banner->showMessage(QStringLiteral("budget.monthly-usd was reset"), MessageBanner::Severity::Warning);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), QStringLiteral("budget.monthly-usd was reset"));
        QCOMPARE(banner->severity(), MessageBanner::Severity::Warning);
        QCOMPARE(banner->accessibleName(), QStringLiteral("budget.monthly-usd was reset"));

        QSignalSpy dismissed(banner, &MessageBanner::dismissed);
        auto *close = banner->findChild<QToolButton *>();
        QVERIFY(close);
        QVERIFY(!close->accessibleName().isEmpty());
        QTest::mouseClick(close, Qt::LeftButton);
        QCOMPARE(dismissed.count(), 1);
        QVERIFY(!banner->isVisible());
    }

    void severityChangesTheLook()
    {
        MessageBanner banner;
        banner.showMessage(QStringLiteral("a"), MessageBanner::Severity::Information);
        const QColor info = banner.palette().color(QPalette::Window);
        banner.showMessage(QStringLiteral("b"), MessageBanner::Severity::Error);
        QVERIFY(banner.palette().color(QPalette::Window) != info);
    }
};

VIBEML_TEST_MAIN_GUI(TestMessageBanner)
#include "tst_messagebanner.moc"

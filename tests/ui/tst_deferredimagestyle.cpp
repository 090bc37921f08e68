#include "widgets/DeferredImageStyle.h"

#include "GuiTestMain.h"

#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QStyleFactory>
#include <QStyleOptionFrame>
#include <QVBoxLayout>

#include <memory>

using namespace vibeml;

namespace {

// Whether an image-format plugin (Qt SVG, GIF, JPEG…) is loaded in this process.
bool imagePluginLoaded()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return false;
    return maps.readAll().contains("/imageformats/");
}

QImage render(QWidget &widget)
{
    widget.resize(320, 180);
    return widget.grab().toImage();
}

} // namespace

class TestDeferredImageStyle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Runs first, in a process that has read no image yet: what the window's first frame builds
    // and paints reads no image plugin; the first icon drawn reads its image as before.
    void theFirstFrameNeedsNoImagePlugin()
    {
        if (!QFile::exists(QStringLiteral("/proc/self/maps")))
            QSKIP("needs /proc/self/maps");
        QVERIFY(!imagePluginLoaded());
        DeferredImageStyle::install();
        QVERIFY(qobject_cast<DeferredImageStyle *>(QApplication::style()));
        QStyle *installed = QApplication::style();
        DeferredImageStyle::install(); // once: not wrapped again
        QCOMPARE(QApplication::style(), installed);

        QWidget window;
        auto *layout = new QVBoxLayout(&window);
        auto *menus = new QMenuBar(&window);
        menus->addMenu(QStringLiteral("&File"));
        layout->setMenuBar(menus);
        auto *search = new QLineEdit(&window);
        search->setClearButtonEnabled(true);
        layout->addWidget(search);
        auto *card = new QGroupBox(QStringLiteral("Chosen model"), &window);
        (new QVBoxLayout(card))->addWidget(new QLabel(QStringLiteral("No model chosen yet."), card));
        layout->addWidget(card);
        const QIcon close = window.style()->standardIcon(QStyle::SP_TitleBarCloseButton);
        QVERIFY(!close.isNull());
        window.resize(600, 400);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.grab().isNull());
        QVERIFY2(!imagePluginLoaded(), "the first frame loaded an image plugin");

        // Drawn for the first time: read now, through the usual reader (the clear button's icon
        // is a PNG, which Qt's reader asks every image plugin about).
        QVERIFY(!close.pixmap(16).isNull());
        QVERIFY(!window.style()->standardIcon(QStyle::SP_LineEditClearButton).pixmap(16).isNull());
        QVERIFY(imagePluginLoaded());
    }

    void groupBoxesLookExactlyAsFusionDrawsThem()
    {
        const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
        DeferredImageStyle deferred(QStringLiteral("Fusion"));
        for (const bool titled : {true, false}) {
            for (const bool checkable : {false, true}) {
                for (const bool enabled : {true, false}) {
                    for (const Qt::LayoutDirection direction : {Qt::LeftToRight, Qt::RightToLeft}) {
                        QImage images[2];
                        QStyle *styles[] = {fusion.get(), &deferred};
                        for (int i = 0; i < 2; ++i) {
                            QGroupBox box(titled ? QStringLiteral("Chosen dataset") : QString());
                            box.setStyle(styles[i]);
                            box.setCheckable(checkable);
                            box.setEnabled(enabled);
                            box.setLayoutDirection(direction);
                            images[i] = render(box);
                        }
                        QVERIFY2(images[0] == images[1], qPrintable(QStringLiteral("titled %1, checkable %2, enabled %3, direction %4")
                                                                        .arg(titled).arg(checkable).arg(enabled).arg(int(direction))));
                    }
                }
            }
        }
    }

    void standardIconsAreTheBaseStylesIcons()
    {
        const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
        DeferredImageStyle deferred(QStringLiteral("Fusion"));
        QLineEdit edit;
        QStyleOptionFrame option;
        option.initFrom(&edit);
        for (const QStyle::StandardPixmap which :
             {QStyle::SP_LineEditClearButton, QStyle::SP_ToolBarHorizontalExtensionButton, QStyle::SP_TitleBarCloseButton,
              QStyle::SP_MessageBoxWarning, QStyle::SP_DialogOkButton, QStyle::SP_ArrowLeft}) {
            for (const QStyleOption *withOption : {static_cast<const QStyleOption *>(nullptr), static_cast<const QStyleOption *>(&option)}) {
                const QIcon expected = fusion->standardIcon(which, withOption, &edit);
                const QIcon icon = deferred.standardIcon(which, withOption, &edit);
                QCOMPARE(icon.isNull(), false);
                for (const int size : {16, 24, 32}) {
                    QCOMPARE(icon.actualSize(QSize(size, size)), expected.actualSize(QSize(size, size)));
                    QCOMPARE(icon.pixmap(size).toImage(), expected.pixmap(size).toImage());
                    QCOMPARE(icon.pixmap(QSize(size, size), 2.0).toImage(), expected.pixmap(QSize(size, size), 2.0).toImage());
                    QCOMPARE(icon.pixmap(size, QIcon::Disabled).toImage(), expected.pixmap(size, QIcon::Disabled).toImage());
                }
                // A copy shares the icon read once; a detached copy still draws it.
                QIcon copy = icon;
                QCOMPARE(copy.pixmap(16).toImage(), expected.pixmap(16).toImage());
            }
        }
    }

    void iconsOutliveTheWidgetThatAskedForThem()
    {
        DeferredImageStyle deferred(QStringLiteral("Fusion"));
        QIcon icon;
        {
            QLineEdit edit;
            QStyleOptionFrame option;
            option.initFrom(&edit);
            icon = deferred.standardIcon(QStyle::SP_LineEditClearButton, &option, &edit);
        }
        QVERIFY(!icon.pixmap(16).isNull());
    }
};

VIBEML_TEST_MAIN_GUI(TestDeferredImageStyle)

#include "tst_deferredimagestyle.moc"

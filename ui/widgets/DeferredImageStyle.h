#pragma once

#include <QPixmap>
#include <QProxyStyle>

namespace vibeml {

// The application's style, drawing what its base style draws, without Qt's image plugins before
// they are needed.
//
// Qt's image reader asks every image-format plugin whether it reads a format before using its
// own PNG reader, which loads all of them (SVG with Qt SVG, GIF, ICO, JPEG with libjpeg). The
// style reads PNGs for a menu bar's overflow arrow, a line edit's clear button and a message
// banner's close button when those are built, and Fusion draws every group box's frame from a
// PNG, so the first frame used to wait about 4 ms for plugins it never used (bench/README.md).
// Here a standard icon is read the first time it is drawn or measured; and under Fusion (Qt 6.4)
// the group box frame is Fusion's own image, read once with Qt's built-in PNG reader and drawn
// exactly as Fusion draws it (tests/ui/tst_deferredimagestyle compares every pixel).
class DeferredImageStyle : public QProxyStyle
{
    Q_OBJECT

public:
    // `baseStyleKey`: the style to wrap, as QStyleFactory names it.
    explicit DeferredImageStyle(const QString &baseStyleKey);

    QIcon standardIcon(StandardPixmap standardIcon, const QStyleOption *option = nullptr,
                       const QWidget *widget = nullptr) const override;
    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;

    // Wraps the application's current style (keeping its look); once.
    static void install();

private:
    const bool m_drawsFusionGroupBoxes;
    mutable QPixmap m_groupBoxFrame; // Fusion's fusion_groupbox.png, read on first use
};

} // namespace vibeml

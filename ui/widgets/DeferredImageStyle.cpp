#include "DeferredImageStyle.h"

#include <QApplication>
#include <QGroupBox>
#include <QImageReader>
#include <QIconEngine>
#include <QPainter>
#include <QPointer>
#include <QStyleOption>
#include <QWidget>
#include <qdrawutil.h>

#include <algorithm>
#include <optional>

namespace vibeml {
namespace {

// Fetches the base style's icon on first use. Copies of the QIcon share one engine, so the PNG
// is read once however many widgets hold the icon.
class LazyStandardIconEngine : public QIconEngine
{
public:
    LazyStandardIconEngine(QStyle *style, QStyle::StandardPixmap which, const QStyleOption *option, const QWidget *widget)
        : m_style(style), m_which(which), m_widget(const_cast<QWidget *>(widget))
    {
        // Kept as a plain QStyleOption (its direction, state, palette…): a line edit passes its
        // frame option, which only lives during the call, and no style reads more for an icon.
        if (option) {
            m_option.emplace(*option);
            m_option->type = QStyleOption::SO_Default;
            m_option->version = QStyleOption::Version;
            m_option->styleObject = nullptr; // may be gone by the time the icon is read
        }
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        icon().paint(painter, rect, Qt::AlignCenter, mode, state);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return icon().pixmap(size, mode, state);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        // Asked in device pixels; the icon inside takes logical ones and the ratio.
        return icon().pixmap((QSizeF(size) / scale).toSize(), scale, mode, state);
    }
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return icon().actualSize(size, mode, state);
    }
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override { return icon().availableSizes(mode, state); }
    QString iconName() override { return icon().name(); }
    // Asked while laying out (a tool button leaves room for a non-null icon): answered without
    // reading the image. A style that has no such icon paints nothing, as a null icon would.
    bool isNull() override { return m_icon ? m_icon->isNull() : false; }
    QString key() const override { return QStringLiteral("vibeml-lazy-standard-icon"); }
    QIconEngine *clone() const override { return new LazyStandardIconEngine(*this); }

private:
    const QIcon &icon()
    {
        if (!m_icon) {
            QStyle *style = m_style ? m_style.data() : QApplication::style();
            m_icon = style->standardIcon(m_which, m_option ? &*m_option : nullptr, m_widget.data());
        }
        return *m_icon;
    }

    QPointer<QStyle> m_style;
    QStyle::StandardPixmap m_which;
    std::optional<QStyleOption> m_option;
    QPointer<QWidget> m_widget;
    std::optional<QIcon> m_icon;
};

// Fusion's group box frame as Qt 6.4 draws it: its image, 6-pixel borders, below the title.
// Qt 6.5 moved the frame's geometry to its caller; there the base style draws it.
constexpr bool kFusionGroupBoxGeometryKnown = QT_VERSION < QT_VERSION_CHECK(6, 5, 0);
constexpr int kFusionGroupBoxTopMargin = 3;

} // namespace

DeferredImageStyle::DeferredImageStyle(const QString &baseStyleKey)
    : QProxyStyle(baseStyleKey),
      m_drawsFusionGroupBoxes(kFusionGroupBoxGeometryKnown && baseStyle()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) == 0)
{
}

QIcon DeferredImageStyle::standardIcon(StandardPixmap standardIcon, const QStyleOption *option, const QWidget *widget) const
{
    return QIcon(new LazyStandardIconEngine(baseStyle(), standardIcon, option, widget));
}

void DeferredImageStyle::drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                                       const QWidget *widget) const
{
    if (element != PE_FrameGroupBox || !m_drawsFusionGroupBoxes) {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        return;
    }
    if (m_groupBoxFrame.isNull()) {
        // Qt's own PNG reader, asked by name: no image plugin is consulted.
        QImageReader reader(QStringLiteral(":/qt-project.org/styles/commonstyle/images/fusion_groupbox.png"), "png");
        reader.setAutoDetectImageFormat(false);
        m_groupBoxFrame = QPixmap::fromImage(reader.read());
        if (m_groupBoxFrame.isNull()) {
            QProxyStyle::drawPrimitive(element, option, painter, widget);
            return;
        }
    }
    const auto *box = qobject_cast<const QGroupBox *>(widget);
    const int top = box && !box->isCheckable() && box->title().isEmpty()
                        ? kFusionGroupBoxTopMargin
                        : std::max(baseStyle()->pixelMetric(PM_ExclusiveIndicatorHeight), option->fontMetrics.height())
                              + kFusionGroupBoxTopMargin;
    qDrawBorderPixmap(painter, option->rect.adjusted(0, top, 0, 0), QMargins(6, 6, 6, 6), m_groupBoxFrame);
}

void DeferredImageStyle::install()
{
    if (qobject_cast<DeferredImageStyle *>(QApplication::style()))
        return;
    QApplication::setStyle(new DeferredImageStyle(QApplication::style()->name()));
}

} // namespace vibeml

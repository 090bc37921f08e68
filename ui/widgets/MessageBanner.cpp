#include "widgets/MessageBanner.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace vibeml {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_label(new QLabel(this)), m_closeButton(new QToolButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_closeButton->setAutoRaise(true);
    m_closeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_closeButton->setToolTip(tr("Dismiss"));
    m_closeButton->setAccessibleName(tr("Dismiss message"));
    connect(m_closeButton, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_closeButton, 0, Qt::AlignTop);
    hide();
}

void MessageBanner::showMessage(const QString &text, Severity severity)
{
    m_severity = severity;
    m_label->setText(text);
    setAccessibleName(text);
    applySeverityStyle();
    show();
}

QString MessageBanner::text() const
{
    return m_label->text();
}

void MessageBanner::applySeverityStyle()
{
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QColor tint(0x1e, 0x88, 0xe5);
    if (m_severity == Severity::Warning) {
        icon = QStyle::SP_MessageBoxWarning;
        tint = QColor(0xf9, 0xa8, 0x25);
    } else if (m_severity == Severity::Error) {
        icon = QStyle::SP_MessageBoxCritical;
        tint = QColor(0xe5, 0x39, 0x35);
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    // Blend the tint into the window colour so the banner reads well in light and dark themes.
    QPalette pal = QGuiApplication::palette();
    const QColor base = pal.color(QPalette::Window);
    const QColor blended = QColor::fromRgbF(base.redF() * 0.8f + tint.redF() * 0.2f, base.greenF() * 0.8f + tint.greenF() * 0.2f,
                                            base.blueF() * 0.8f + tint.blueF() * 0.2f);
    pal.setColor(QPalette::Window, blended);
    setPalette(pal);
}

} // namespace vibeml

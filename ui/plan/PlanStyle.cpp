#include "plan/PlanStyle.h"

#include <QCoreApplication>
#include <QLabel>
#include <QPalette>
#include <QSplitter>

namespace vibeml::planstyle {

QColor color(Tone tone, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    switch (tone) {
    case Tone::Good:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
    case Tone::Caution:
        return dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0x9a, 0x5b, 0x00);
    case Tone::Problem:
        return dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28);
    case Tone::Muted:
        return palette.color(QPalette::PlaceholderText);
    }
    return palette.color(QPalette::WindowText);
}

QString toned(const QString &text, Tone tone, const QPalette &palette)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color(tone, palette).name(), text.toHtmlEscaped());
}

QString checksHtml(const QList<hub::CheckLine> &checks, const QPalette &palette)
{
    QString html = QStringLiteral("<table cellspacing=\"2\" cellpadding=\"1\">");
    for (const hub::CheckLine &line : checks) {
        const Tone tone = line.verdict == hub::CheckLine::Verdict::Pass   ? Tone::Good
                          : line.verdict == hub::CheckLine::Verdict::Warn ? Tone::Caution
                                                                          : Tone::Problem;
        QString text = line.text.toHtmlEscaped();
        if (line.actionUrl.isValid()) {
            const QString url = line.actionUrl.toString(QUrl::FullyEncoded);
            const QString escapedUrl = line.actionUrl.toString().toHtmlEscaped();
            if (text.contains(escapedUrl))
                text.replace(escapedUrl, QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), escapedUrl));
            else
                text += QStringLiteral(" <a href=\"%1\">%2</a>")
                            .arg(url.toHtmlEscaped(), QCoreApplication::translate("PlanStyle", "Open").toHtmlEscaped());
        }
        html += QStringLiteral("<tr><td><b>%1</b></td><td><b>%2</b></td><td>%3</td></tr>")
                    .arg(toned(hub::verdictSymbol(line.verdict), tone, palette), line.title.toHtmlEscaped(), text);
    }
    html += QStringLiteral("</table>");
    return html;
}

QLabel *messageLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->hide();
    return label;
}

void showMessage(QLabel *label, const QString &text, Tone tone)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color(tone, label->parentWidget() ? label->parentWidget()->palette() : palette));
    label->setPalette(palette);
    label->setText(text);
    label->setAccessibleDescription(text);
    label->setVisible(!text.isEmpty());
}

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 1.15);
    label->setFont(font);
    label->setAccessibleName(text);
    return label;
}

QLabel *cardLabel(QWidget *parent, const QString &accessibleName)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction | Qt::TextSelectableByKeyboard);
    label->setOpenExternalLinks(true);
    label->setAccessibleName(accessibleName);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

void showCardTitle(QLabel *label, const QString &id, const QString &pinnedSha, const QPalette &palette)
{
    const QString revision = pinnedSha.isEmpty()
                                 ? toned(QCoreApplication::translate("PlanStyle", "not pinned (offline snapshot)"), Tone::Caution, palette)
                                 : QCoreApplication::translate("PlanStyle", "commit %1").arg(pinnedSha.left(12).toHtmlEscaped());
    label->setText(QStringLiteral("<b>%1</b> · %2").arg(id.toHtmlEscaped(), revision));
    label->setAccessibleDescription(label->text());
}

void showFacts(QLabel *label, const QStringList &facts)
{
    QStringList escaped;
    for (const QString &fact : facts)
        escaped << fact.toHtmlEscaped();
    label->setText(escaped.join(QStringLiteral(" · ")));
    label->setAccessibleDescription(facts.join(QStringLiteral(", ")));
}

void showChecks(QLabel *label, const QList<hub::CheckLine> &checks, const QPalette &palette)
{
    label->setText(checksHtml(checks, palette));
    QStringList plain;
    for (const hub::CheckLine &line : checks)
        plain << QStringLiteral("%1 %2: %3").arg(hub::verdictName(line.verdict), line.title, line.text);
    label->setAccessibleDescription(plain.join(QLatin1Char('\n')));
}

QSplitter *searchBesideCard(QWidget *search, QWidget *card, QWidget *parent)
{
    auto *splitter = new QSplitter(Qt::Horizontal, parent);
    splitter->addWidget(search);
    splitter->addWidget(card);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    return splitter;
}

} // namespace vibeml::planstyle

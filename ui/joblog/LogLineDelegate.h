#pragma once

#include "joblog/TerminalPalette.h"

#include <QAbstractItemDelegate>
#include <QString>

namespace vibeml {

// Paints one log line in the view's monospace font: the program's colours (mapped for the
// palette), bold/italic/underline, the search term highlighted, error lines marked in the
// margin. Only the horizontally visible part of a very long line is laid out.
class LogLineDelegate : public QAbstractItemDelegate
{
    Q_OBJECT

public:
    static constexpr int kMaxColumns = 20'000; // wider lines are shown cut; copy gives them whole

    explicit LogLineDelegate(QObject *parent = nullptr);

    void setSearchTerm(const QString &term, Qt::CaseSensitivity sensitivity);
    QString searchTerm() const { return m_searchTerm; }
    void setTerminalPalette(const TerminalPalette &palette) { m_palette = palette; }
    const TerminalPalette &terminalPalette() const { return m_palette; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static int leftMargin(const QFontMetrics &metrics);

private:
    TerminalPalette m_palette;
    QString m_searchTerm;
    Qt::CaseSensitivity m_sensitivity = Qt::CaseInsensitive;
};

} // namespace vibeml

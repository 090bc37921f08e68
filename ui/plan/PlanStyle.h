#pragma once

#include "hub/ValidationReport.h"

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

class QLabel;
class QSplitter;
class QPalette;
class QWidget;

// Shared look of the plan panels: the three semantic colours (good, caution, problem) derived from
// the current palette so they read on light and dark themes, and the HTML of check lists.
namespace vibeml::planstyle {

enum class Tone { Good, Caution, Problem, Muted };

// A green, amber or red that keeps its contrast against the palette's window colour; Muted is the
// palette's placeholder text colour.
QColor color(Tone tone, const QPalette &palette);

// One line per check: coloured verdict symbol, bold title, escaped text, and a link to the
// action URL when there is one (e.g. the gated model's access request page).
QString checksHtml(const QList<hub::CheckLine> &checks, const QPalette &palette);

// Text in a tone, escaped, as an HTML span.
QString toned(const QString &text, Tone tone, const QPalette &palette);

// A label for inline messages under a field: word-wrapped, hidden while empty, in `tone`.
QLabel *messageLabel(QWidget *parent);
void showMessage(QLabel *label, const QString &text, Tone tone);

// A bold section heading sized from the widget's font (HiDPI-safe, no pixel sizes).
QLabel *heading(const QString &text, QWidget *parent);

// A line of a picker's card: rich text (links open in the browser), word-wrapped, selectable,
// top-left aligned, named for screen readers.
QLabel *cardLabel(QWidget *parent, const QString &accessibleName);
// A card's title: the repository's id in bold and the commit it is pinned to (or, for an answer
// from the offline snapshot, that it is not pinned).
void showCardTitle(QLabel *label, const QString &id, const QString &pinnedSha, const QPalette &palette);
// A card's facts, "a · b · c" (escaped), read out as "a, b, c".
void showFacts(QLabel *label, const QStringList &facts);
// A card's check list (checksHtml), read out one plain line per check.
void showChecks(QLabel *label, const QList<hub::CheckLine> &checks, const QPalette &palette);

// A picker's search (left, wider) beside the card that describes what was picked.
QSplitter *searchBesideCard(QWidget *search, QWidget *card, QWidget *parent);

} // namespace vibeml::planstyle

#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

// Text plumbing shared by the `sky` output parsers (SkyOutput.h): ANSI removal, line splitting
// with terminal '\r' semantics, and prettytable slicing by header offsets in display columns.
// Internal to core/sky; everything here is linear in the size of its input.
namespace vibeml::sky::detail {

// Removes CSI, OSC, charset and two-byte escape sequences and C0 control characters other than
// '\t', '\n' and '\r'. An unterminated sequence never swallows a line break.
QString stripAnsi(QStringView text);

// Lines of already-stripped text as views into it. A line's trailing '\r' is dropped; a line a
// spinner rewrote with '\r' keeps only what a terminal would finally show (after the last '\r').
QList<QStringView> splitLines(const QString &text);

// Terminal cells a code point occupies (wcwidth-like: 0 combining/zero-width, 2 wide/emoji).
int displayWidth(char32_t codePoint);

// A prettytable header: column names and the display column each starts at. Names are
// separated by at least two spaces; a name may contain single spaces ("COST ($)", "GIT COMMIT").
struct TableHeader
{
    QStringList names;
    QList<int> starts;

    int column(QStringView name) const; // -1 when absent
    bool has(QStringView name) const { return column(name) >= 0; }
};
TableHeader parseHeader(QStringView line);

// The cells of a row sliced at the header's column starts (display columns). A row shorter than
// a column's start leaves that cell empty; the last column runs to the end of the line. Cells
// are trimmed.
QStringList sliceRow(QStringView row, const TableHeader &header);

// The cell named `name`, or empty when the column is missing, the row is short, or it is "-".
QString cellValue(const QStringList &cells, const TableHeader &header, QStringView name);

struct Table
{
    TableHeader header;
    QList<QStringList> rows;
    qsizetype nextLine = 0; // first line after the table
};
// Reads the rows after the header at lines[headerLine]: dashed rule lines before the first row
// are skipped; a blank line, a rule after rows, or a line `ends` accepts (a message printed right
// after the table, e.g. "Cluster 'x' not found.") ends the table.
using LinePredicate = bool (*)(QStringView trimmedLine);
Table readTable(const QList<QStringView> &lines, qsizetype headerLine, LinePredicate ends = nullptr);

bool isBlank(QStringView line);
// A line of a job's own log as sky streams it: "(task, pid=2107) …" / "(worker1, rank=1, pid=…) …".
bool isTaskLogLine(QStringView trimmedLine);
bool isRule(QStringView line); // "-----" (prettytable hrules), possibly indented

std::optional<int> toInt(QStringView text);
// "2.95", "$ 2.950", "$2.95" -> number; "-", "" or anything else -> nullopt.
std::optional<double> toPrice(QStringView text);

// Every 'quoted' or "quoted" word in text, in order.
QStringList quotedWords(QStringView text);

// A short, printable excerpt of the first non-blank line, for error messages.
QString excerpt(const QList<QStringView> &lines);

// "sky status printed something VibeML does not recognise (expected …; got "…")."
QString unrecognisedMessage(const char *command, const char *expectedUtf8, const QList<QStringView> &lines);

} // namespace vibeml::sky::detail

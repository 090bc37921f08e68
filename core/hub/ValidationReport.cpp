#include "hub/ValidationReport.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTextStream>

#include <algorithm>

namespace vibeml::hub {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ValidationReport", text);
}

bool noFailures(const QList<CheckLine> &checks)
{
    return std::none_of(checks.begin(), checks.end(),
                        [](const CheckLine &line) { return line.verdict == CheckLine::Verdict::Fail; });
}

const CheckLine *findCheck(const QList<CheckLine> &checks, CheckLine::Topic topic)
{
    const auto found = std::find_if(checks.begin(), checks.end(), [topic](const CheckLine &line) { return line.topic == topic; });
    return found == checks.end() ? nullptr : &*found;
}

void writeChecks(QTextStream &out, const QList<CheckLine> &checks)
{
    for (const CheckLine &line : checks) {
        out << "  " << verdictSymbol(line.verdict) << ' ' << line.title.leftJustified(13) << line.text;
        if (line.actionUrl.isValid() && !line.text.contains(line.actionUrl.toString()))
            out << "  " << line.actionUrl.toString();
        out << '\n';
    }
}

} // namespace

QString verdictSymbol(CheckLine::Verdict verdict)
{
    switch (verdict) {
    case CheckLine::Verdict::Pass:
        return QStringLiteral("✓");
    case CheckLine::Verdict::Warn:
        return QStringLiteral("!");
    case CheckLine::Verdict::Fail:
        return QStringLiteral("✗");
    }
    return {};
}

QString verdictName(CheckLine::Verdict verdict)
{
    switch (verdict) {
    case CheckLine::Verdict::Pass:
        return QStringLiteral("pass");
    case CheckLine::Verdict::Warn:
        return QStringLiteral("warn");
    case CheckLine::Verdict::Fail:
        return QStringLiteral("fail");
    }
    return {};
}

bool ModelReport::canLaunch() const
{
    return info.has_value() && noFailures(checks);
}

const CheckLine *ModelReport::check(CheckLine::Topic topic) const
{
    return findCheck(checks, topic);
}

QString ModelReport::toText() const
{
    QString text;
    QTextStream out(&text);
    out << tr("Model %1").arg(canonicalId.isEmpty() ? requestedId : canonicalId);
    if (origin != AnswerOrigin::Network)
        out << "  (" << describeOrigin(origin, fetchedAt) << ')';
    out << '\n';
    writeChecks(out, checks);
    out << (canLaunch() ? tr("Ready to train.") : tr("Not ready: fix the failed checks above.")) << '\n';
    return text;
}

bool DatasetReport::canLaunch() const
{
    return info.has_value() && noFailures(checks);
}

const CheckLine *DatasetReport::check(CheckLine::Topic topic) const
{
    return findCheck(checks, topic);
}

QString DatasetReport::toText() const
{
    QString text;
    QTextStream out(&text);
    out << tr("Dataset %1").arg(canonicalId.isEmpty() ? requestedId : canonicalId);
    if (origin != AnswerOrigin::Network)
        out << "  (" << describeOrigin(origin, fetchedAt) << ')';
    out << '\n';
    writeChecks(out, checks);
    if (!previewRows.isEmpty() && format.mapping.format != DataFormat::Unknown) {
        QString example = trainingText(format.mapping, previewRows.first()).simplified();
        if (example.size() > 160)
            example = example.left(157) + QStringLiteral("…");
        out << tr("  First row: %1").arg(example) << '\n';
    }
    out << (canLaunch() ? tr("Ready to train.") : tr("Not ready: fix the failed checks above.")) << '\n';
    return text;
}

} // namespace vibeml::hub

#include "hub/RepoId.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

namespace vibeml::hub {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RepoId", text);
}

std::optional<QString> partProblem(const QString &part)
{
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._-]+$"));
    if (part.isEmpty())
        return tr("a part of the id is empty");
    if (part.size() > 96)
        return tr("\"%1…\" is longer than 96 characters").arg(part.left(20));
    if (!allowed.match(part).hasMatch())
        return tr("only letters, digits, '-', '_' and '.' are allowed");
    if (part.contains(QLatin1String("--")) || part.contains(QLatin1String("..")))
        return tr("\"--\" and \"..\" are not allowed");
    const QChar first = part.front();
    const QChar last = part.back();
    if (first == QLatin1Char('-') || first == QLatin1Char('.') || last == QLatin1Char('-') || last == QLatin1Char('.'))
        return tr("a name cannot start or end with '-' or '.'");
    return std::nullopt;
}

} // namespace

std::optional<QString> repoIdProblem(const QString &id)
{
    if (id.isEmpty())
        return tr("The id is empty; expected owner/name, e.g. Qwen/Qwen2.5-0.5B-Instruct.");
    const QStringList parts = id.split(QLatin1Char('/'));
    if (parts.size() > 2)
        return tr("\"%1\" has more than one '/'; expected owner/name.").arg(id.left(100));
    for (const QString &part : parts) {
        if (const auto problem = partProblem(part))
            return tr("\"%1\" is not a valid Hub id: %2.").arg(id.left(100), *problem);
    }
    return std::nullopt;
}

std::optional<QString> revisionProblem(const QString &revision)
{
    if (revision.isEmpty())
        return tr("The revision is empty.");
    if (revision.size() > 255)
        return tr("The revision is longer than 255 characters.");
    // Branches, tags, commits and refs/pr/N use these; shell and URL metacharacters never appear.
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._/+-]+$"));
    if (!allowed.match(revision).hasMatch() || revision.contains(QLatin1String("..")) || revision.startsWith(QLatin1Char('/'))
        || revision.endsWith(QLatin1Char('/')) || revision.startsWith(QLatin1Char('-')))
        return tr("\"%1\" is not a valid branch, tag or commit.").arg(revision.left(60));
    return std::nullopt;
}

QString encodePathSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace vibeml::hub

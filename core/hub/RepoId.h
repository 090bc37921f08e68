#pragma once

#include <QString>

#include <optional>

// Repository ids and revisions are user input that ends up in URLs, file names and, later,
// remote shells; they are checked against the Hub's own naming rules before any use.
namespace vibeml::hub {

// "org/name" or a legacy "name": letters, digits, '-', '_', '.'; no "--" or ".."; '-' and '.'
// neither start nor end a part; at most 96 characters per part. Returns why it is not valid.
std::optional<QString> repoIdProblem(const QString &id);
inline bool isValidRepoId(const QString &id) { return !repoIdProblem(id).has_value(); }

// Branch, tag or commit: letters, digits and . _ / + -, no "..", at most 255 characters.
std::optional<QString> revisionProblem(const QString &revision);

// Percent-encodes every reserved character (so "refs/pr/1" becomes "refs%2Fpr%2F1").
QString encodePathSegment(const QString &segment);

} // namespace vibeml::hub

#include "log/Redactor.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cctype>

namespace vibeml::redaction {
namespace {

struct Rule
{
    QRegularExpression pattern;
    QString replacement;
};

const std::array<Rule, 7> &rules()
{
    using Option = QRegularExpression::PatternOption;
    const QString mask = QLatin1String(kMask);
    static const std::array<Rule, 7> table = {{
        // PEM private keys, also when the END line was cut off or newlines are JSON-escaped.
        {QRegularExpression(QStringLiteral("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"),
                            Option::DotMatchesEverythingOption),
         QStringLiteral("-----BEGIN \\1PRIVATE KEY-----") + mask + QStringLiteral("-----END \\1PRIVATE KEY-----")},
        // Authorization headers of any scheme, and bare bearer tokens.
        {QRegularExpression(QStringLiteral("(authorization\\s*[:=]\\s*(?:bearer|basic|token)?\\s*)[^\\s\"',;]+"),
                            Option::CaseInsensitiveOption),
         QStringLiteral("\\1") + mask},
        {QRegularExpression(QStringLiteral("(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{6,}"), Option::CaseInsensitiveOption),
         QStringLiteral("\\1") + mask},
        // Environment-style assignments: HF_TOKEN=…, WANDB_API_KEY: …, --secret AWS_SECRET=….
        {QRegularExpression(QStringLiteral(
             "\\b([A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIALS)[A-Z0-9_]*)(=|\\s*:\\s*)"
             "(?:\"[^\"]+\"|'[^']+'|(?!\\[REDACTED\\])[^\\s\"',;&]+)")),
         QStringLiteral("\\1\\2") + mask},
        // JSON or YAML fields whose names say they hold a secret.
        {QRegularExpression(QStringLiteral("([\"']?[A-Za-z0-9_.-]*(?:token|secret|password|passwd|api[_-]?key|private[_-]?key|"
                                           "access[_-]?key)[\"']?\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)+\""),
                            Option::CaseInsensitiveOption),
         QStringLiteral("\\1\"") + mask + QStringLiteral("\"")},
        // Bare tokens by shape: Hugging Face user/org tokens and SkyPilot service-account tokens.
        {QRegularExpression(QStringLiteral("\\b(hf|api_org|sky)_[A-Za-z0-9]{16,}\\b")),
         QStringLiteral("\\1_") + mask},
        // Passwords embedded in URLs.
        {QRegularExpression(QStringLiteral("(\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^/\\s@]+@"), Option::CaseInsensitiveOption),
         QStringLiteral("\\1") + mask + QStringLiteral("@")},
    }};
    return table;
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle)
{
    const auto found = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return found != haystack.end();
}

} // namespace

bool mightContainSecret(std::string_view utf8)
{
    static constexpr std::array<std::string_view, 10> needles = {
        "hf_", "api_org_", "sky_", "bearer", "authorization", "token", "key", "secret", "passw", "://"};
    return std::any_of(needles.begin(), needles.end(),
                       [utf8](std::string_view needle) { return containsIgnoringCase(utf8, needle); });
}

QString redact(const QString &text)
{
    QString result = text;
    for (const Rule &rule : rules())
        result.replace(rule.pattern, rule.replacement);
    return result;
}

std::string redact(std::string_view utf8)
{
    if (!mightContainSecret(utf8))
        return std::string(utf8);
    const QString cleaned = redact(QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size())));
    return cleaned.toStdString();
}

} // namespace vibeml::redaction

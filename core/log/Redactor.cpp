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

// A URL holds a password only as "scheme://user:password@": a "://" with an '@' after it.
bool mightHoldUrlPassword(std::string_view utf8)
{
    const size_t scheme = utf8.find("://");
    return scheme != std::string_view::npos && utf8.find('@', scheme) != std::string_view::npos;
}

} // namespace

bool mightContainSecret(std::string_view utf8)
{
    // Tokens by shape are matched case-sensitively (an "HF_HUB_OFFLINE" is no token); names that
    // say "secret" in any case.
    static constexpr std::array<std::string_view, 3> shapes = {"hf_", "api_org_", "sky_"};
    static constexpr std::array<std::string_view, 7> names = {"bearer", "authorization", "token", "key",
                                                              "secret", "passw", "credentials"};
    return mightHoldUrlPassword(utf8)
           || std::any_of(shapes.begin(), shapes.end(), [utf8](std::string_view shape) { return utf8.find(shape) != std::string_view::npos; })
           || std::any_of(names.begin(), names.end(), [utf8](std::string_view name) { return containsIgnoringCase(utf8, name); });
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

// Why a `sky` command failed: classification of its output into SkyFailure kinds with advice
// (skypilot.md §(c), §(e)).
#include "sky/SkyOutput.h"
#include "sky/SkyOutputText.h"

#include <QRegularExpression>

#include <algorithm>
#include <initializer_list>

namespace vibeml::sky {

using namespace detail;

namespace {

// Errors are printed last; a streamed training log before them can be megabytes long.
constexpr qsizetype kTail = 256 * 1024;
constexpr qsizetype kDetailLines = 3;
constexpr qsizetype kLineLimit = 300;

QString tailOf(const QString &text)
{
    return stripAnsi(text.size() > kTail ? QStringView(text).right(kTail) : QStringView(text));
}

class Haystack
{
public:
    explicit Haystack(const QString &text) : m_lower(text.toLower()) { }
    bool any(std::initializer_list<QStringView> needles) const
    {
        return std::any_of(needles.begin(), needles.end(),
                           [this](QStringView needle) { return m_lower.contains(needle); });
    }
    bool matches(const QRegularExpression &expression) const { return expression.match(m_lower).hasMatch(); }

private:
    QString m_lower;
};

bool isMarkerLine(QStringView trimmed)
{
    return std::all_of(trimmed.begin(), trimmed.end(), [](QChar c) { return c == u'^' || c == u'~' || c == u' '; });
}

bool isSpinner(QStringView trimmed)
{
    const char16_t first = trimmed.front().unicode();
    return first >= 0x2800 && first <= 0x28FF; // braille spinner frames
}

// "(task, pid=2107) text" (a job's log streamed by sky) -> "text", keeping the text's indentation.
QStringView withoutTaskPrefix(QStringView line)
{
    if (!isTaskLogLine(line))
        return line;
    QStringView rest = line.mid(line.indexOf(u')') + 1);
    return rest.startsWith(u' ') ? rest.mid(1) : rest;
}

// Lines worth showing: no traceback frames, no blank lines, no spinner frames.
QStringList meaningfulLines(const QString &text)
{
    QStringList kept;
    bool inTraceback = false;
    for (QStringView line : splitLines(text)) {
        line = withoutTaskPrefix(line);
        const QStringView trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (trimmed.startsWith(u"Traceback (most recent call last)")) {
            inTraceback = true;
            continue;
        }
        if (inTraceback) {
            if (line.front().isSpace())
                continue; // a frame or its source line
            inTraceback = false; // the exception line ends the traceback
        }
        if (trimmed.startsWith(u"During handling of the above exception")
            || trimmed.startsWith(u"The above exception was the direct cause") || isMarkerLine(trimmed)
            || isSpinner(trimmed))
            continue;
        QString kept1 = trimmed.left(kLineLimit).toString();
        if (trimmed.size() > kLineLimit)
            kept1.append(u'…');
        kept.append(kept1);
        if (kept.size() > 32)
            kept.removeFirst();
    }
    return kept;
}

QString detailOf(const QString &stdoutText, const QString &stderrText)
{
    static const QRegularExpression exceptionLine(
        QStringLiteral(R"(^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b)"));
    QStringList lines = meaningfulLines(stderrText);
    if (lines.isEmpty())
        lines = meaningfulLines(stdoutText);
    QStringList detail = lines.mid(std::max<qsizetype>(0, lines.size() - kDetailLines));
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        if (!exceptionLine.match(lines[i]).hasMatch())
            continue;
        if (!detail.contains(lines[i])) {
            detail.removeFirst();
            detail.prepend(lines[i]);
        }
        break;
    }
    return detail.join(u'\n');
}

QString quotedClusterName(const QString &text)
{
    static const QRegularExpression named(QStringLiteral(R"(cluster\s+'([^']+)'\s+(?:not found|does not exist))"),
                                          QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = named.match(text);
    return match.hasMatch() ? match.captured(1) : QString();
}

SkyFailure make(SkyFailure::Kind kind, QString message, QString advice)
{
    SkyFailure failure;
    failure.kind = kind;
    failure.message = std::move(message);
    failure.advice = std::move(advice);
    return failure;
}

const QString &credentialAdvice()
{
    static const QString advice = QStringLiteral(
        "Create a service-account key with `nebius iam auth-public-key generate --service-account-id $SA_ID "
        "--output ~/.nebius/credentials.json` (or save a token with `nebius iam get-access-token > "
        "~/.nebius/NEBIUS_IAM_TOKEN.txt`), write your tenant ID to ~/.nebius/NEBIUS_TENANT_ID.txt, then run "
        "`sky check nebius`.");
    return advice;
}

SkyFailure classifyText(const Haystack &text, const QString &combined, int exitCode)
{
    using Kind = SkyFailure::Kind;
    static const QRegularExpression notEnabled(
        QStringLiteral(R"(\b(?:nebius|cloud|infra)\b[^\n]{0,60}\bis not enabled\b)"));
    static const QRegularExpression quota(
        QStringLiteral(R"(quota[^\n]{0,80}(?:exceed|limit|reached|insufficient|not enough)|exceed[^\n]{0,40}quota)"));
    static const QRegularExpression credentialProblem(
        QStringLiteral(R"(credential[^\n]{0,80}(?:not found|not set|missing|does not exist|no such file))"));
    static const QRegularExpression clusterMissing(
        QStringLiteral(R"(\bclusters?(?:\(s\))?\b[^\n]{0,80}?\b(?:not found|does not exist)|clusterdoesnotexist)"));

    if (text.any({u"could not connect to skypilot api server", u"failed to connect to skypilot api server",
                  u"cannot connect to skypilot api server", u"apiserverconnectionerror",
                  u"skypilot api server is not running"})
        || (text.any({u"connection refused"}) && text.any({u"46580", u"api server", u"api_server"})))
        return make(Kind::ApiServerUnreachable, QStringLiteral("The SkyPilot API server cannot be reached."),
                    QStringLiteral("Start a local server with `sky api start`; if you use a remote one, check "
                                   "SKYPILOT_API_SERVER_ENDPOINT (or api_server.endpoint in ~/.sky/config.yaml) "
                                   "and run `sky api info`."));
    if (text.any({u"version mismatch", u"apiversionmismatch", u"please upgrade", u"api version", u"is too old",
                  u"versionmismatcherror"}))
        return make(Kind::VersionMismatch,
                    QStringLiteral("The sky client and the SkyPilot API server run different versions."),
                    QStringLiteral("Upgrade the client with `pip install -U \"skypilot[nebius]\"`, then restart "
                                   "the local server with `sky api stop; sky api start`."));
    if (text.any({u"autodown not supported"})
        || (text.any({u"notsupportederror"}) && text.any({u"autodown", u"auto-down", u"--down"})))
        return make(Kind::AutodownUnsupported,
                    QStringLiteral("Nebius cannot delete a cluster by itself (autodown is not supported)."),
                    QStringLiteral("Launch without --down and without autostop.down: let the cluster stop when "
                                   "idle and tear it down with `sky down` when the run ends."));
    const bool authRejected = text.any({u"unauthenticated", u"invalid credentials", u"invalidcredentials",
                                        u"token is expired", u"expired token", u"token has expired"});
    const bool credentialsMissing
        = text.any({u"nebius iam get-access-token", u"nebius_iam_token", u".nebius/credentials.json",
                    u"credential file not found", u"credentials file not found", u"no nebius credentials"})
        || text.matches(credentialProblem);
    if (authRejected)
        return make(Kind::CredentialsMissing, QStringLiteral("Nebius rejected the credentials SkyPilot used."),
                    credentialAdvice());
    if (credentialsMissing)
        return make(Kind::CredentialsMissing,
                    QStringLiteral("SkyPilot found no Nebius credentials (~/.nebius/credentials.json or "
                                   "~/.nebius/NEBIUS_IAM_TOKEN.txt)."),
                    credentialAdvice());
    if (text.any({u"nebius_tenant_id", u"tenant_id not found", u"tenant id not found", u"copy your tenant id",
                  u"no tenant"}))
        return make(Kind::CredentialsMissing, QStringLiteral("SkyPilot does not know your Nebius tenant ID."),
                    QStringLiteral("Write it to ~/.nebius/NEBIUS_TENANT_ID.txt (with one tenant: `nebius --format "
                                   "json iam whoami | jq -r '.user_profile.tenants[0].tenant_id' > "
                                   "~/.nebius/NEBIUS_TENANT_ID.txt`), then run `sky check nebius`."));
    if (text.matches(quota))
        return make(Kind::Quota, QStringLiteral("The launch would exceed your Nebius quota."),
                    QStringLiteral("Pick a smaller GPU count or another region, or ask Nebius support to raise "
                                   "the quota in the console (Administration › Limits)."));
    if (text.any({u"no cloud is enabled", u"cloud access is not set up", u"nocloudaccesserror", u"nebius: disabled",
                  u"no infra to check/enabled"})
        || text.matches(notEnabled))
        return make(Kind::CloudDisabled, QStringLiteral("Nebius is not enabled in SkyPilot."),
                    QStringLiteral("Run `sky check nebius` and fix the reason it prints; VibeML needs Nebius "
                                   "enabled for compute."));
    if (text.any({u"resourcesunavailableerror", u"failed to provision all possible launchable resources",
                  u"resource exhausted", u"resource_exhausted", u"insufficient capacity", u"out of capacity",
                  u"not enough capacity", u"no capacity"}))
        return make(Kind::NoCapacity, QStringLiteral("Nebius has no free capacity for the requested GPUs right now."),
                    QStringLiteral("Try another region or GPU type, switch between spot and on-demand, or retry "
                                   "later (`sky launch --retry-until-up` keeps trying)."));
    if (text.any({u"invalid task", u"invalid yaml", u"jsonschema", u"additional properties are not allowed",
                  u"schema validation", u"is not valid under any of the given schemas", u"failed validating"}))
        return make(Kind::InvalidTask, QStringLiteral("SkyPilot rejected the task YAML."),
                    QStringLiteral("Fix the field named in the detail (SkyPilot refuses unknown keys); if VibeML "
                                   "wrote this task, please report the detail as a bug."));
    if (!text.any({u"no job found"}) && text.matches(clusterMissing)) {
        const QString name = quotedClusterName(combined);
        return make(Kind::ClusterNotFound,
                    name.isEmpty() ? QStringLiteral("The cluster does not exist.")
                                   : QStringLiteral("Cluster '%1' does not exist.").arg(name),
                    QStringLiteral("It may already have been torn down: refresh with `sky status --refresh`; "
                                   "nothing is billing for a cluster that is gone."));
    }
    return make(Kind::Unknown,
                exitCode == 2
                    ? QStringLiteral("sky refused its command line (usage error, exit code 2).")
                    : QStringLiteral("sky failed (exit code %1) for a reason VibeML does not recognise.").arg(exitCode),
                QStringLiteral("Read the detail below; `sky api logs` shows the API server's side of the last "
                               "request."));
}

} // namespace

SkyFailure classifyFailure(int exitCode, const QString &stdoutText, const QString &stderrText)
{
    const QString out = tailOf(stdoutText);
    const QString err = tailOf(stderrText);
    const QString combined = out + u'\n' + err;
    SkyFailure failure = classifyText(Haystack(combined), combined, exitCode);
    failure.detail = detailOf(out, err);
    return failure;
}

} // namespace vibeml::sky

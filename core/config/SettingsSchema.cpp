#include "config/SettingsSchema.h"

#include "joblog/LogLineStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QLocale>
#include <QRegularExpression>
#include <QUrl>

#include <array>
#include <cmath>

namespace vibeml::settingsschema {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Settings", text);
}

const std::array<SettingDefinition, 20> &table()
{
    static const std::array<SettingDefinition, 20> rows = {{
        {.key = SettingKey::DefaultRegion,
         .name = "launch.region",
         .type = SettingType::Text,
         .defaultValue = QStringLiteral("eu-north1"),
         .label = QT_TRANSLATE_NOOP("Settings", "Region"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Nebius region new runs launch in"),
         .pattern = "[a-z]+-[a-z]+[0-9]+",
         .textHint = QT_TRANSLATE_NOOP("Settings", "a region name such as eu-north1")},
        {.key = SettingKey::DefaultGpu,
         .name = "launch.gpu",
         .type = SettingType::Text,
         .defaultValue = QString(),
         .label = QT_TRANSLATE_NOOP("Settings", "GPU"),
         .summary = QT_TRANSLATE_NOOP("Settings", "GPU to preselect; empty picks the cheapest that fits"),
         .pattern = "(|[A-Za-z0-9][A-Za-z0-9-]{0,31})",
         .textHint = QT_TRANSLATE_NOOP("Settings", "a GPU name such as H100, or empty")},
        {.key = SettingKey::SpotPreference,
         .name = "launch.spot",
         .type = SettingType::Choice,
         .defaultValue = QStringLiteral("on-demand"),
         .label = QT_TRANSLATE_NOOP("Settings", "Spot instances"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Use preemptible (spot) GPUs: on-demand, prefer-spot or spot-only"),
         .choices = {QStringLiteral("on-demand"), QStringLiteral("prefer-spot"), QStringLiteral("spot-only")}},
        {.key = SettingKey::AutostopIdleMinutes,
         .name = "cluster.idle-minutes",
         .type = SettingType::Integer,
         .defaultValue = 30,
         .label = QT_TRANSLATE_NOOP("Settings", "Stop when idle for"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Idle minutes before a cluster is stopped (at least 5)"),
         .minimum = 5,
         .maximum = 7 * 24 * 60},
        {.key = SettingKey::TeardownPolicy,
         .name = "cluster.teardown",
         .type = SettingType::Choice,
         .defaultValue = QStringLiteral("down"),
         .label = QT_TRANSLATE_NOOP("Settings", "When a job ends"),
         .summary = QT_TRANSLATE_NOOP("Settings", "What happens to its cluster: down (tear it down), keep-minutes "
                                                  "(keep it up for a while, then down), keep-stopped (stopped disks "
                                                  "still bill) or keep-up"),
         .choices = {QStringLiteral("down"), QStringLiteral("keep-minutes"), QStringLiteral("keep-stopped"),
                     QStringLiteral("keep-up")}},
        {.key = SettingKey::KeepClusterMinutes,
         .name = "cluster.keep-minutes",
         .type = SettingType::Integer,
         .defaultValue = 30,
         .label = QT_TRANSLATE_NOOP("Settings", "Keep for"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Minutes a finished job's cluster stays up with keep-minutes"),
         .minimum = 1,
         .maximum = 7 * 24 * 60},
        {.key = SettingKey::PerJobBudgetUsd,
         .name = "budget.per-job-usd",
         .type = SettingType::Decimal,
         .defaultValue = 50.0,
         .label = QT_TRANSLATE_NOOP("Settings", "Budget per run"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Most a single run may cost, in US dollars"),
         .minimum = 1,
         .maximum = 1'000'000},
        {.key = SettingKey::MonthlyBudgetUsd,
         .name = "budget.monthly-usd",
         .type = SettingType::Decimal,
         .defaultValue = 500.0,
         .label = QT_TRANSLATE_NOOP("Settings", "Monthly budget"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Most all runs together may cost in a calendar month, in US dollars"),
         .minimum = 1,
         .maximum = 10'000'000},
        {.key = SettingKey::ApprovalThresholdUsd,
         .name = "budget.approval-threshold-usd",
         .type = SettingType::Decimal,
         .defaultValue = 10.0,
         .label = QT_TRANSLATE_NOOP("Settings", "Ask before runs above"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Runs estimated above this many dollars ask for confirmation"),
         .minimum = 0,
         .maximum = 1'000'000},
        {.key = SettingKey::BudgetWarnFraction,
         .name = "budget.warn-fraction",
         .type = SettingType::Decimal,
         .defaultValue = 0.8,
         .label = QT_TRANSLATE_NOOP("Settings", "Warn at"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Warn when spending reaches this fraction of a budget (0.05 to 1)"),
         .minimum = 0.05,
         .maximum = 1.0},
        {.key = SettingKey::McpAllowAboveApproval,
         .name = "mcp.allow-above-approval",
         .type = SettingType::Choice,
         .defaultValue = QStringLiteral("no"),
         .label = QT_TRANSLATE_NOOP("Settings", "AI assistants may approve"),
         .summary = QT_TRANSLATE_NOOP("Settings",
                                      "Let MCP clients launch runs above the approval threshold: no or yes (the caps always apply)"),
         .choices = {QStringLiteral("no"), QStringLiteral("yes")}},
        {.key = SettingKey::HubEndpoint,
         .name = "hub.endpoint",
         .type = SettingType::Url,
         .defaultValue = QString(),
         .label = QT_TRANSLATE_NOOP("Settings", "Hub address"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Hugging Face Hub URL; empty uses HF_ENDPOINT, else https://huggingface.co")},
        {.key = SettingKey::ViewerEndpoint,
         .name = "hub.viewer-endpoint",
         .type = SettingType::Url,
         .defaultValue = QString(),
         .label = QT_TRANSLATE_NOOP("Settings", "Dataset viewer address"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Dataset viewer URL; empty uses HF_DATASETS_SERVER, else "
                                                  "https://datasets-server.huggingface.co")},
        {.key = SettingKey::SkyExecutable,
         .name = "sky.executable",
         .type = SettingType::Command,
         .defaultValue = QString(),
         .label = QT_TRANSLATE_NOOP("Settings", "sky program"),
         .summary = QT_TRANSLATE_NOOP("Settings", "The sky program to run; empty finds sky on PATH")},
        {.key = SettingKey::SkyApiServer,
         .name = "sky.api-server",
         .type = SettingType::Url,
         .defaultValue = QString(),
         .label = QT_TRANSLATE_NOOP("Settings", "SkyPilot API server"),
         .summary = QT_TRANSLATE_NOOP("Settings", "A team's SkyPilot API server (SKYPILOT_API_SERVER_ENDPOINT); empty "
                                                  "uses the local one")},
        {.key = SettingKey::LogScrollbackLines,
         .name = "log.scrollback-lines",
         .type = SettingType::Integer,
         .defaultValue = static_cast<int>(joblog::LogLineStore::kDefaultMaxLines),
         .label = QT_TRANSLATE_NOOP("Settings", "Lines kept in view"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Lines of a job's log the window keeps (the oldest leave first); "
                                                  "the whole log stays on disk in the job's folder"),
         .minimum = 1000,
         .maximum = 5'000'000},
        {.key = SettingKey::WindowGeometry,
         .name = "ui.window-geometry",
         .type = SettingType::Bytes,
         .defaultValue = QByteArray(),
         .label = QT_TRANSLATE_NOOP("Settings", "Window geometry"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Main window position and size"),
         .userVisible = false},
        {.key = SettingKey::WindowState,
         .name = "ui.window-state",
         .type = SettingType::Bytes,
         .defaultValue = QByteArray(),
         .label = QT_TRANSLATE_NOOP("Settings", "Window layout"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Main window layout"),
         .userVisible = false},
        {.key = SettingKey::RecentModels,
         .name = "ui.recent-models",
         .type = SettingType::Text,
         .defaultValue = QString(),
         .label = QT_TRANSLATE_NOOP("Settings", "Recent models"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Models picked recently, newest first"),
         .pattern = "(|[A-Za-z0-9][A-Za-z0-9._/-]{0,200}(,[A-Za-z0-9][A-Za-z0-9._/-]{0,200}){0,19})",
         .textHint = QT_TRANSLATE_NOOP("Settings", "Hub ids separated by commas"),
         .userVisible = false},
        {.key = SettingKey::RecentDatasets,
         .name = "ui.recent-datasets",
         .type = SettingType::Text,
         .defaultValue = QString(),
         .label = QT_TRANSLATE_NOOP("Settings", "Recent datasets"),
         .summary = QT_TRANSLATE_NOOP("Settings", "Datasets picked recently, newest first"),
         .pattern = "(|[A-Za-z0-9][A-Za-z0-9._/-]{0,200}(,[A-Za-z0-9][A-Za-z0-9._/-]{0,200}){0,19})",
         .textHint = QT_TRANSLATE_NOOP("Settings", "Hub ids separated by commas"),
         .userVisible = false},
    }};
    return rows;
}

SettingValidation refuse(QString message)
{
    return SettingValidation{QVariant(), std::move(message)};
}

SettingValidation accept(QVariant value)
{
    return SettingValidation{std::move(value), QString()};
}

QString formatNumber(double value)
{
    return QLocale::c().toString(value, 'g', 12);
}

SettingValidation checkNumber(const SettingDefinition &def, double number)
{
    if (!std::isfinite(number))
        return refuse(tr("%1 must be a finite number.").arg(QLatin1String(def.name)));
    if (def.type == SettingType::Integer && std::trunc(number) != number)
        return refuse(tr("%1 must be a whole number, not %2.").arg(QLatin1String(def.name), formatNumber(number)));
    if (number < def.minimum || number > def.maximum)
        return refuse(tr("%1 must be %2, not %3.")
                          .arg(QLatin1String(def.name), describeAllowedValues(def.key), formatNumber(number)));
    if (def.type == SettingType::Integer)
        return accept(static_cast<int>(number));
    return accept(number);
}

SettingValidation checkText(const SettingDefinition &def, const QString &text)
{
    switch (def.type) {
    case SettingType::Text: {
        const QRegularExpression pattern(QRegularExpression::anchoredPattern(QLatin1String(def.pattern)));
        if (!pattern.match(text).hasMatch())
            return refuse(tr("\"%1\" is not a valid value for %2; expected %3.")
                              .arg(text, QLatin1String(def.name), describeAllowedValues(def.key)));
        return accept(text);
    }
    case SettingType::Choice:
        if (!def.choices.contains(text))
            return refuse(tr("\"%1\" is not a valid value for %2; choose one of: %3.")
                              .arg(text, QLatin1String(def.name), def.choices.join(QStringLiteral(", "))));
        return accept(text);
    case SettingType::Url: {
        if (text.isEmpty())
            return accept(text);
        const QUrl url(text, QUrl::StrictMode);
        const bool webScheme = url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http");
        if (!url.isValid() || !webScheme || url.host().isEmpty())
            return refuse(tr("\"%1\" is not a web address; expected something like https://huggingface.co.").arg(text));
        if (!url.userInfo().isEmpty())
            return refuse(tr("Leave credentials out of %1; VibeML sends your token in a header.").arg(QLatin1String(def.name)));
        if (url.hasQuery() || url.hasFragment())
            return refuse(tr("%1 must not have a query or fragment.").arg(QLatin1String(def.name)));
        QString normalised = url.toString();
        while (normalised.endsWith(QLatin1Char('/')))
            normalised.chop(1);
        return accept(normalised);
    }
    case SettingType::Command: {
        if (text.isEmpty())
            return accept(text);
        static const QRegularExpression bareName(QStringLiteral("^[A-Za-z0-9._+-]+$"));
        for (const QChar c : text) {
            if (c.category() == QChar::Other_Control)
                return refuse(tr("%1 must not contain control characters.").arg(QLatin1String(def.name)));
        }
        if (text.contains(QLatin1Char('/')) ? !QDir::isAbsolutePath(text) : !bareName.match(text).hasMatch())
            return refuse(tr("\"%1\" is neither an absolute path nor a program name.").arg(text));
        return accept(QDir::cleanPath(text));
    }
    default:
        return refuse(tr("%1 is not a text setting.").arg(QLatin1String(def.name)));
    }
}

} // namespace

std::span<const SettingDefinition> definitions()
{
    return table();
}

const SettingDefinition &definition(SettingKey key)
{
    const auto &rows = table();
    const auto index = static_cast<std::size_t>(key);
    Q_ASSERT(index < rows.size() && rows[index].key == key);
    return rows[index];
}

QString name(SettingKey key)
{
    return QLatin1String(definition(key).name);
}

QString label(SettingKey key)
{
    return tr(definition(key).label);
}

QString summary(SettingKey key)
{
    return tr(definition(key).summary);
}

std::optional<SettingKey> keyFromName(QStringView name)
{
    for (const SettingDefinition &def : table()) {
        if (name == QLatin1String(def.name))
            return def.key;
    }
    return std::nullopt;
}

SettingValidation validate(SettingKey key, const QVariant &value)
{
    const SettingDefinition &def = definition(key);
    switch (def.type) {
    case SettingType::Integer:
    case SettingType::Decimal: {
        const int typeId = value.metaType().id();
        const bool numeric = typeId == QMetaType::Int || typeId == QMetaType::Double || typeId == QMetaType::LongLong
                             || typeId == QMetaType::UInt || typeId == QMetaType::ULongLong || typeId == QMetaType::Float;
        if (!numeric)
            return refuse(tr("%1 must be a number.").arg(QLatin1String(def.name)));
        return checkNumber(def, value.toDouble());
    }
    case SettingType::Bytes:
        if (value.metaType().id() != QMetaType::QByteArray)
            return refuse(tr("%1 must be binary data.").arg(QLatin1String(def.name)));
        return accept(value);
    default:
        if (value.metaType().id() != QMetaType::QString)
            return refuse(tr("%1 must be text.").arg(QLatin1String(def.name)));
        return checkText(def, value.toString());
    }
}

SettingValidation fromJson(SettingKey key, const QJsonValue &value)
{
    const SettingDefinition &def = definition(key);
    switch (def.type) {
    case SettingType::Integer:
    case SettingType::Decimal:
        if (!value.isDouble())
            return refuse(tr("%1 must be a number.").arg(QLatin1String(def.name)));
        return checkNumber(def, value.toDouble());
    case SettingType::Bytes: {
        if (!value.isString())
            return refuse(tr("%1 must be base64 text.").arg(QLatin1String(def.name)));
        auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return refuse(tr("%1 is not valid base64.").arg(QLatin1String(def.name)));
        return accept(*decoded);
    }
    default:
        if (!value.isString())
            return refuse(tr("%1 must be text.").arg(QLatin1String(def.name)));
        return checkText(def, value.toString());
    }
}

QJsonValue toJson(SettingKey key, const QVariant &value)
{
    switch (definition(key).type) {
    case SettingType::Integer:
        return value.toInt();
    case SettingType::Decimal:
        return value.toDouble();
    case SettingType::Bytes:
        return QString::fromLatin1(value.toByteArray().toBase64());
    default:
        return value.toString();
    }
}

SettingValidation parse(SettingKey key, const QString &text)
{
    const SettingDefinition &def = definition(key);
    const QString trimmed = text.trimmed();
    switch (def.type) {
    case SettingType::Integer:
    case SettingType::Decimal: {
        QString number = trimmed;
        if (def.type == SettingType::Decimal && number.startsWith(QLatin1Char('$')))
            number.remove(0, 1);
        bool ok = false;
        const double parsed = QLocale::c().toDouble(number, &ok);
        if (!ok)
            return refuse(tr("\"%1\" is not a number; %2 must be %3.")
                              .arg(text, QLatin1String(def.name), describeAllowedValues(key)));
        return checkNumber(def, parsed);
    }
    case SettingType::Bytes:
        return refuse(tr("%1 cannot be set by hand.").arg(QLatin1String(def.name)));
    default:
        return checkText(def, trimmed);
    }
}

QString toText(SettingKey key, const QVariant &value)
{
    switch (definition(key).type) {
    case SettingType::Integer:
        return QString::number(value.toInt());
    case SettingType::Decimal:
        return formatNumber(value.toDouble());
    case SettingType::Bytes:
        return QCoreApplication::translate("Settings", "(%n byte(s))", nullptr,
                                           static_cast<int>(value.toByteArray().size()));
    default:
        return value.toString();
    }
}

QString describeAllowedValues(SettingKey key)
{
    const SettingDefinition &def = definition(key);
    switch (def.type) {
    case SettingType::Integer:
        return tr("a whole number from %1 to %2").arg(formatNumber(def.minimum), formatNumber(def.maximum));
    case SettingType::Decimal:
        return tr("a number from %1 to %2").arg(formatNumber(def.minimum), formatNumber(def.maximum));
    case SettingType::Text:
        return tr(def.textHint);
    case SettingType::Choice:
        return tr("one of %1").arg(def.choices.join(QStringLiteral(", ")));
    case SettingType::Url:
        return tr("an http(s) address, or empty");
    case SettingType::Command:
        return tr("an absolute path or a program name, or empty");
    case SettingType::Bytes:
        return tr("binary data");
    }
    return {};
}

} // namespace vibeml::settingsschema

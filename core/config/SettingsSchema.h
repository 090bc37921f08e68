#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <span>

namespace vibeml {

// Every setting VibeML knows. Code refers to settings only through these; the stored names
// live in one table (SettingsSchema.cpp).
enum class SettingKey {
    DefaultRegion,
    DefaultGpu,
    SpotPreference,
    AutostopIdleMinutes,
    TeardownPolicy,
    KeepClusterMinutes,
    PerJobBudgetUsd,
    MonthlyBudgetUsd,
    ApprovalThresholdUsd,
    BudgetWarnFraction,
    McpAllowAboveApproval,
    HubEndpoint,
    ViewerEndpoint,
    SkyExecutable,
    SkyApiServer,
    LogScrollbackLines,
    WindowGeometry,
    WindowState,
    RecentModels,
    RecentDatasets,
};

enum class SettingType {
    Integer,
    Decimal,
    Text,     // free text matching a pattern
    Choice,   // one of a fixed list of words
    Url,      // empty, or an absolute http(s) URL
    Command,  // empty, a bare program name, or an absolute path
    Bytes,    // opaque binary, stored base64 (window geometry)
};

struct SettingDefinition
{
    SettingKey key = SettingKey::DefaultRegion;
    const char *name = nullptr;    // stored name and the CLI's `config set NAME`
    SettingType type = SettingType::Text;
    QVariant defaultValue = {};
    const char *label = nullptr;   // a short title for forms ("Monthly budget")
    const char *summary = nullptr; // one line for `config show` and the preferences dialog (translated)
    double minimum = 0;
    double maximum = 0;
    QStringList choices = {};   // Choice: allowed values, first is not special
    const char *pattern = nullptr;  // Text: a full-match regular expression
    const char *textHint = nullptr; // Text: what the pattern accepts, in words
    bool userVisible = true;    // false for internal state such as window geometry
};

// A validated value, or the reason it was refused (a sentence for the user).
struct SettingValidation
{
    QVariant value;
    QString error;
    bool isOk() const { return error.isEmpty(); }
};

namespace settingsschema {

inline constexpr int kCurrentVersion = 2;

std::span<const SettingDefinition> definitions();
const SettingDefinition &definition(SettingKey key);
QString name(SettingKey key);
QString label(SettingKey key);
QString summary(SettingKey key);
std::optional<SettingKey> keyFromName(QStringView name);

// Checks a value set from code (int, double, QString or QByteArray by type) and normalises it.
SettingValidation validate(SettingKey key, const QVariant &value);
// Reads a value from the settings file, strictly typed: "500" is not a number.
SettingValidation fromJson(SettingKey key, const QJsonValue &value);
QJsonValue toJson(SettingKey key, const QVariant &value);
// Parses what a user typed (`vibeml config set budget.monthly-usd 250`).
SettingValidation parse(SettingKey key, const QString &text);
// The value as a user would type it back.
QString toText(SettingKey key, const QVariant &value);
// What the value may be, for help texts ("an integer from 5 to 10080").
QString describeAllowedValues(SettingKey key);

} // namespace settingsschema
} // namespace vibeml

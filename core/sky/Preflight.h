#pragma once

#include "sky/SkyOutput.h"
#include "sky/SkyProcess.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace vibeml::sky {

struct PreflightItem
{
    enum class Verdict { Pass, Warn, Fail, Skipped };
    Verdict verdict = Verdict::Pass;
    QString title;  // "SkyPilot", "API server", "Nebius credentials", "Dry run"
    QString text;
    QString advice;
};

struct PreflightReport
{
    QList<PreflightItem> items;
    std::optional<VersionInfo> version;
    std::optional<CheckReport> check;
    std::optional<LaunchReport> dryRun;

    bool passed() const;
    QString toText() const;
};

// Before a launch: `sky` found and its version; the API server healthy; `sky check nebius`
// enabled (with the fix when it is not: credential files under ~/.nebius/, the tenant id); the
// task accepted by `sky launch --dryrun`. Each step is one SkyProcess, run one after another.
class Preflight : public QObject
{
    Q_OBJECT

public:
    explicit Preflight(SkyEnvironment environment, QObject *parent = nullptr);

    // `bundleDirectory` and `cluster` enable the dry run; without them it is skipped.
    void run(const QString &bundleDirectory = QString(), const QString &cluster = QString());
    void cancel();

    // What is missing under ~/.nebius for SkyPilot's Nebius credentials (empty when complete).
    static QStringList missingNebiusFiles(const QString &home);

Q_SIGNALS:
    void finished(const vibeml::sky::PreflightReport &report);

private:
    void step();
    void onVersion(const SkyResult &result);
    void onApiInfo(const SkyResult &result);
    void onCheck(const SkyResult &result);
    void onDryRun(const SkyResult &result);

    SkyEnvironment m_environment;
    QString m_bundle;
    QString m_cluster;
    PreflightReport m_report;
    int m_step = 0;
    QPointer<SkyProcess> m_current;
};

} // namespace vibeml::sky

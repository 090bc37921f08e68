#pragma once

// What tests of jobs share: a small sample plan, monitor timings fast enough for a test, budgets
// that never get in the way, and a job service on a real journal driving the fake `sky`.
#include "catalog/Catalog.h"
#include "common/Clock.h"
#include "cost/BudgetPolicy.h"
#include "jobs/JobService.h"
#include "jobs/JournalDatabase.h"
#include "sky/LaunchPlan.h"

#include "FakeSky.h"
#include "TestSupport.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <chrono>
#include <memory>

namespace vibeml::test {

// tests/data/tasks/single-gpu-lora/plan.json as job `id`: on-demand, no Hub token or W&B needed.
inline sky::LaunchPlan samplePlan(const QString &id, double pricePerHour = 3.6)
{
    const QJsonObject json = QJsonDocument::fromJson(readFile(dataPath(QStringLiteral("tasks/single-gpu-lora/plan.json")))).object();
    auto parsed = sky::launchPlanFromJson(json);
    Q_ASSERT(parsed);
    sky::LaunchPlan plan = parsed.value();
    plan.jobId = id;
    plan.pricePerHour = pricePerHour;
    plan.managed = false;
    plan.spot = false;
    plan.useHfToken = false;
    plan.useWandb = false;
    plan.outputRepo.clear();
    return plan;
}

inline jobs::MonitorTimings quickTimings()
{
    using namespace std::chrono_literals;
    jobs::MonitorTimings timings;
    timings.fast = 100ms;
    timings.steady = 200ms;
    timings.idle = 400ms;
    timings.maxBackoff = 800ms;
    timings.observe = 100ms;
    timings.leaseTtl = 30s;
    timings.commandTimeout = 8s;
    timings.reconcile.launchGrace = 60s;
    return timings;
}

inline cost::BudgetLimits generousLimits()
{
    cost::BudgetLimits limits;
    limits.perJobUsd = 1000;
    limits.monthlyUsd = 10000;
    limits.approvalThresholdUsd = 1000;
    return limits;
}

// How a job service reaches the fake `sky` (and the fake `rsync` next to it).
inline sky::SkyEnvironment fakeSkyEnvironment(const FakeSky &sky)
{
    sky::SkyEnvironment environment;
    environment.program = FakeSky::program();
    environment.rsyncProgram = QFileInfo(FakeSky::program()).absolutePath() + QStringLiteral("/rsync");
    environment.base.insert(QStringLiteral("FAKE_SKY_STATE"), sky.stateDirectory());
    return environment;
}

// One VibeML process's view of the jobs: its own journal connection and job service.
struct JobProcess
{
    std::unique_ptr<jobs::JournalDatabase> journal;
    std::unique_ptr<jobs::JobService> service;

    JobProcess(const QString &journalPath, const Clock &clock, const catalog::Catalog &catalog, const FakeSky &sky,
               const QString &bundles, jobs::MonitorTimings timings = quickTimings(), const QString &role = QStringLiteral("test"))
    {
        journal = std::make_unique<jobs::JournalDatabase>(journalPath);
        const Status opened = journal->open();
        Q_ASSERT(opened.isOk());
        jobs::JobService::Config config;
        config.bundlesRoot = bundles;
        config.environment = fakeSkyEnvironment(sky);
        config.timings = timings;
        config.role = role;
        service = std::make_unique<jobs::JobService>(*journal, clock, &catalog, config);
    }
    ~JobProcess()
    {
        service.reset();
        journal.reset();
    }
    JobProcess(const JobProcess &) = delete;
    JobProcess &operator=(const JobProcess &) = delete;

    jobs::JobStore &store() { return service->store(); }
    jobs::JobMonitor &monitor() { return service->monitor(); }
};

} // namespace vibeml::test

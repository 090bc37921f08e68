#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace vibeml::catalog {
class Catalog;
}

// A SkyPilot task as a value (skypilot.md §(a)), written to YAML by TaskYaml with yaml-cpp's
// emitter. Only what VibeML uses is modelled; everything written is valid for the closed schema.
namespace vibeml::sky {

struct TaskResources
{
    QString infra;         // "nebius/eu-north1"
    QString accelerators;  // "H100:8"
    QString instanceType;  // optional, pins the exact Nebius preset
    std::optional<bool> useSpot;
    std::optional<int> diskSizeGb;
    QString diskTier;      // unsupported on Nebius: must stay empty there
    QString networkTier;   // "best" (InfiniBand) only where Nebius allows it
    std::optional<int> autostopIdleMinutes; // written as {idle_minutes: N}; never with down
    QString jobRecovery;   // managed jobs: "EAGER_NEXT_REGION", "FAILOVER"
    int maxRestartsOnErrors = 0;
    QList<TaskResources> anyOf; // alternatives, each a complete resources object
};

struct TaskSpec
{
    QString name;
    QString workdir;
    int numNodes = 1;
    TaskResources resources;
    QList<QPair<QString, QString>> envs; // in order; values are data, never shell code
    QStringList secrets;                 // names; values come from `sky launch --secret NAME`
    QString setup;
    QString run;
};

// One broken rule, said so a user can act on it.
struct RuleViolation
{
    QString rule;    // "no-autodown", "spot-offered", "cluster-name", "infiniband", "env-key", …
    QString message;
};

// Nebius's rules (skypilot.md §(c)) and SkyPilot's schema, checked before anything runs: no
// autodown, spot only where the catalog prices spot, InfiniBand only on 8-GPU H100/H200/B200
// nodes, no custom disk tier, env and secret names `^[A-Za-z_][A-Za-z0-9_]*$`, a known GPU offer.
QList<RuleViolation> checkTask(const TaskSpec &task, const catalog::Catalog &catalog);

// Nebius cluster names: 1–50 characters of [a-z0-9-], starting with a letter, not ending with '-'.
std::optional<QString> clusterNameProblem(const QString &name);
bool isValidEnvKey(const QString &key);

} // namespace vibeml::sky

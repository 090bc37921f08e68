#include "sky/TaskSpec.h"

#include "catalog/Catalog.h"
#include "cost/TrainingPlan.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace vibeml::sky {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TaskSpec", text);
}

struct Accelerators
{
    QString name;
    int count = 0;
};

std::optional<Accelerators> parseAccelerators(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    if (parts.size() != 2 || parts.first().isEmpty())
        return std::nullopt;
    bool ok = false;
    const int count = parts.at(1).toInt(&ok);
    if (!ok || count < 1)
        return std::nullopt;
    return Accelerators {parts.first(), count};
}

void checkResources(const TaskResources &resources, int numNodes, const catalog::Catalog &catalog,
                    QList<RuleViolation> &problems)
{
    const QString cloud = resources.infra.section(QLatin1Char('/'), 0, 0).toLower();
    const QString region = resources.infra.section(QLatin1Char('/'), 1, 1);
    const bool nebius = cloud == QLatin1String("nebius");
    if (resources.infra.isEmpty())
        problems.append({QStringLiteral("infra"), tr("The task names no infra; VibeML launches on nebius/<region>.")});
    else if (!nebius)
        problems.append({QStringLiteral("infra"), tr("VibeML launches on Nebius, not on %1.").arg(resources.infra)});

    const std::optional<Accelerators> accelerators = parseAccelerators(resources.accelerators);
    if (!accelerators) {
        problems.append({QStringLiteral("accelerators"),
                         tr("\"%1\" is not a GPU request such as H100:8.").arg(resources.accelerators)});
        return;
    }
    // The offer must exist in that region, and spot only where the catalog prices it.
    bool offered = false;
    bool spotOffered = false;
    bool infiniBand = false;
    for (const catalog::InstanceOffer &offer : catalog.offers(cloud)) {
        if (offer.accelerator.compare(accelerators->name, Qt::CaseInsensitive) != 0
            || offer.acceleratorCount != accelerators->count)
            continue;
        if (!region.isEmpty() && offer.region != region)
            continue;
        if (!resources.instanceType.isEmpty() && offer.instanceType != resources.instanceType)
            continue;
        offered = true;
        spotOffered = spotOffered || offer.spotPricePerHour.has_value();
        infiniBand = infiniBand || catalog::hasInfiniBand(offer);
    }
    if (const std::optional<QString> stack = cost::trainingStackProblem(accelerators->name))
        problems.append({QStringLiteral("training-stack"), *stack + QLatin1Char('.')});
    if (nebius && !offered)
        problems.append({QStringLiteral("offer"),
                         tr("Nebius offers no %1 in %2 (see `vibeml gpus --cloud nebius`).")
                             .arg(resources.accelerators, region.isEmpty() ? tr("any region") : region)});
    if (resources.useSpot.value_or(false) && offered && !spotOffered)
        problems.append({QStringLiteral("spot-offered"),
                         tr("Nebius sells no spot capacity for %1 in %2; launch it on-demand.")
                             .arg(resources.accelerators, region)});
    if (nebius && resources.networkTier == QLatin1String("best") && !infiniBand)
        problems.append({QStringLiteral("infiniband"),
                         tr("InfiniBand (network_tier: best) exists on Nebius only for 8-GPU "
                            "H100, H200 and B200 nodes, not for %1.")
                             .arg(resources.accelerators)});
    if (!resources.networkTier.isEmpty() && resources.networkTier != QLatin1String("best")
        && resources.networkTier != QLatin1String("standard"))
        problems.append({QStringLiteral("network-tier"), tr("network_tier must be standard or best.")});
    if (nebius && !resources.diskTier.isEmpty())
        problems.append({QStringLiteral("disk-tier"), tr("Nebius does not support a custom disk tier.")});
    if (resources.autostopIdleMinutes && *resources.autostopIdleMinutes < 5)
        problems.append({QStringLiteral("autostop"), tr("Autostop needs at least 5 idle minutes.")});
    if (resources.diskSizeGb && (*resources.diskSizeGb < 50 || *resources.diskSizeGb > 65536))
        problems.append({QStringLiteral("disk-size"), tr("disk_size must be between 50 and 65536 GB.")});
    if (numNodes > 1 && resources.useSpot.value_or(false) && resources.jobRecovery.isEmpty())
        problems.append(
            {QStringLiteral("spot-multinode"), tr("Multi-node spot runs need a managed job with recovery.")});
    for (const TaskResources &alternative : resources.anyOf)
        checkResources(alternative, numNodes, catalog, problems);
}

} // namespace

bool isValidEnvKey(const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(key).hasMatch();
}

std::optional<QString> clusterNameProblem(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$"));
    if (name.isEmpty())
        return tr("The cluster name is empty.");
    if (name.size() > 50)
        return tr("Nebius cluster names have at most 50 characters; \"%1\" has %2.").arg(name).arg(name.size());
    if (!pattern.match(name).hasMatch())
        return tr("\"%1\" is not a valid cluster name: use lower-case letters, digits and '-', starting with a letter.")
            .arg(name);
    return std::nullopt;
}

QList<RuleViolation> checkTask(const TaskSpec &task, const catalog::Catalog &catalog)
{
    QList<RuleViolation> problems;
    if (task.numNodes < 1 || task.numNodes > 64)
        problems.append({QStringLiteral("num-nodes"), tr("num_nodes must be between 1 and 64.")});
    checkResources(task.resources, task.numNodes, catalog, problems);
    for (const auto &[key, value] : task.envs) {
        Q_UNUSED(value)
        if (!isValidEnvKey(key))
            problems.append(
                {QStringLiteral("env-key"), tr("\"%1\" is not a valid environment variable name.").arg(key)});
    }
    for (const QString &secret : task.secrets) {
        if (!isValidEnvKey(secret))
            problems.append({QStringLiteral("env-key"), tr("\"%1\" is not a valid secret name.").arg(secret)});
    }
    // Autodown is never expressed: the YAML writer has no way to write `down`, and SkyCommand
    // never adds --down. This guards the one text field where a user could try.
    static const QRegularExpression autodown(QStringLiteral("sky\\s+(autostop|launch|start)\\b[^\\n]*--down"));
    if (autodown.match(task.setup).hasMatch() || autodown.match(task.run).hasMatch())
        problems.append(
            {QStringLiteral("no-autodown"), tr("Nebius cannot autodown clusters; VibeML tears them down itself.")});
    return problems;
}

} // namespace vibeml::sky

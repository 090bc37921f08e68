#include "sky/TaskYaml.h"

#include <yaml-cpp/yaml.h>

namespace vibeml::sky {
namespace {

std::string utf8(const QString &text)
{
    return text.toStdString();
}

void emitResources(YAML::Emitter &out, const TaskResources &resources)
{
    out << YAML::BeginMap;
    if (!resources.infra.isEmpty())
        out << YAML::Key << "infra" << YAML::Value << utf8(resources.infra);
    if (!resources.accelerators.isEmpty())
        out << YAML::Key << "accelerators" << YAML::Value << utf8(resources.accelerators);
    if (!resources.instanceType.isEmpty())
        out << YAML::Key << "instance_type" << YAML::Value << utf8(resources.instanceType);
    if (resources.useSpot)
        out << YAML::Key << "use_spot" << YAML::Value << *resources.useSpot;
    if (resources.diskSizeGb)
        out << YAML::Key << "disk_size" << YAML::Value << *resources.diskSizeGb;
    if (!resources.diskTier.isEmpty())
        out << YAML::Key << "disk_tier" << YAML::Value << utf8(resources.diskTier);
    if (!resources.networkTier.isEmpty())
        out << YAML::Key << "network_tier" << YAML::Value << utf8(resources.networkTier);
    if (resources.autostopIdleMinutes) {
        // The map form, with no `down` key: Nebius cannot autodown (skypilot.md §(c)).
        out << YAML::Key << "autostop" << YAML::Value << YAML::BeginMap << YAML::Key << "idle_minutes" << YAML::Value
            << *resources.autostopIdleMinutes << YAML::EndMap;
    }
    if (!resources.jobRecovery.isEmpty()) {
        out << YAML::Key << "job_recovery" << YAML::Value << YAML::BeginMap << YAML::Key << "strategy" << YAML::Value
            << utf8(resources.jobRecovery) << YAML::Key << "max_restarts_on_errors" << YAML::Value
            << resources.maxRestartsOnErrors << YAML::EndMap;
    }
    if (!resources.anyOf.isEmpty()) {
        out << YAML::Key << "any_of" << YAML::Value << YAML::BeginSeq;
        for (const TaskResources &alternative : resources.anyOf)
            emitResources(out, alternative);
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;
}

} // namespace

QByteArray toYaml(const TaskSpec &task)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::BeginMap;
    if (!task.name.isEmpty())
        out << YAML::Key << "name" << YAML::Value << utf8(task.name);
    if (!task.workdir.isEmpty())
        out << YAML::Key << "workdir" << YAML::Value << utf8(task.workdir);
    if (task.numNodes > 1)
        out << YAML::Key << "num_nodes" << YAML::Value << task.numNodes;
    out << YAML::Key << "resources" << YAML::Value;
    emitResources(out, task.resources);
    if (!task.envs.isEmpty()) {
        out << YAML::Key << "envs" << YAML::Value << YAML::BeginMap;
        // Values always double-quoted: SkyPilot wants strings, and "1" must not become a number.
        for (const auto &[key, value] : task.envs)
            out << YAML::Key << utf8(key) << YAML::Value << YAML::DoubleQuoted << utf8(value);
        out << YAML::EndMap;
    }
    if (!task.secrets.isEmpty()) {
        out << YAML::Key << "secrets" << YAML::Value << YAML::BeginMap;
        for (const QString &secret : task.secrets)
            out << YAML::Key << utf8(secret) << YAML::Value << YAML::Null;
        out << YAML::EndMap;
    }
    if (!task.setup.isEmpty())
        out << YAML::Key << "setup" << YAML::Value << YAML::Literal << utf8(task.setup);
    if (!task.run.isEmpty())
        out << YAML::Key << "run" << YAML::Value << YAML::Literal << utf8(task.run);
    out << YAML::EndMap;
    QByteArray yaml(out.c_str(), static_cast<qsizetype>(out.size()));
    yaml.append('\n');
    return yaml;
}

} // namespace vibeml::sky

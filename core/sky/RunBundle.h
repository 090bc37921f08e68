#pragma once

#include "common/Result.h"
#include "sky/LaunchPlan.h"
#include "sky/TaskSpec.h"

#include <QString>

namespace vibeml::catalog {
class Catalog;
}

namespace vibeml::sky {

// One run's folder (XDG data dir, 0700, files 0600): task.yaml, job.json, plan.json (with the
// price snapshot the estimate used), train.py, run.sh, requirements.txt and a README with the
// exact `sky` commands to run it by hand. Written only when the task passes checkTask().
struct RunBundle
{
    QString directory;
    QString taskFile;
    QString jobFile;
    QString planFile;

    static Result<RunBundle, QString> write(const QString &bundlesRoot, const LaunchPlan &plan, const catalog::Catalog &catalog);
    static Result<LaunchPlan, QString> readPlan(const QString &directory);
};

// The commands a person would type to run, watch and remove this bundle's cluster.
QString bundleReadme(const LaunchPlan &plan, const TaskSpec &task);

} // namespace vibeml::sky

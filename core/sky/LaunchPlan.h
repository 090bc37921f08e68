#pragma once

#include "common/Result.h"
#include "cost/CostTable.h"
#include "cost/TrainingPlan.h"
#include "hub/DatasetFormat.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace vibeml::sky {

// Everything a launch needs, decided: the model and data pinned to commits, the training
// settings, the offer chosen, where results go, and the estimate it was chosen on. Saved as
// plan.json in the run bundle; the task YAML and job.json are derived from it.
struct LaunchPlan
{
    QString jobId; // also the cluster name (or the managed job's name)

    QString modelId;
    QString modelRevision; // commit sha
    qint64 modelParameters = 0;
    qint64 modelDownloadBytes = 0;

    QString datasetId;
    QString datasetRevision;
    QString datasetConfig;
    QString datasetSplit;
    hub::ColumnMapping mapping;
    qint64 datasetBytes = 0;
    qint64 maxRows = 0; // 0: every row

    cost::TrainingSettings settings;
    cost::Parallelism parallelism = cost::Parallelism::SingleGpu;

    QString region;
    QString accelerator;
    int gpusPerNode = 1;
    int nodes = 1;
    bool spot = false;
    QString instanceType;
    bool managed = false;  // a managed job (recovers from spot preemption)
    int idleMinutes = 30;  // autostop (clusters only)
    bool infiniBand = false;

    QString outputRepo;    // empty: no upload
    QString downloadDir;   // absolute local folder for the outputs before teardown; empty: none
    bool outputPrivate = true;
    bool useHfToken = false; // pass HF_TOKEN as a secret
    bool useWandb = false;   // pass WANDB_API_KEY as a secret

    double pricePerHour = 0;
    cost::Range hours;
    cost::Range costUsd;
    QString catalogNote;
    QDateTime createdAt;

    QString accelerators() const { return QStringLiteral("%1:%2").arg(accelerator).arg(gpusPerNode); }
};

QJsonObject toJson(const LaunchPlan &plan);
Result<LaunchPlan, QString> launchPlanFromJson(const QJsonObject &object);

// "vibeml-<model>-<6 random>", at most 50 characters of [a-z0-9-] (Nebius cluster names).
QString newJobId(const QString &modelId);

// The plan for running `offer` of an estimate.
LaunchPlan planFromOffer(const QString &jobId, const cost::ModelFacts &model, const QString &modelRevision,
                         const cost::DatasetFacts &data, const QString &datasetRevision, const QString &config,
                         const QString &split, const hub::ColumnMapping &mapping, const cost::TrainingSettings &settings,
                         const cost::OfferEstimate &offer);

} // namespace vibeml::sky

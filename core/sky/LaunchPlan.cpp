#include "sky/LaunchPlan.h"

#include "catalog/Catalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace vibeml::sky {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LaunchPlan", text);
}

QJsonObject rangeJson(const cost::Range &range)
{
    return {{QStringLiteral("low"), range.low},
            {QStringLiteral("expected"), range.expected},
            {QStringLiteral("high"), range.high}};
}

cost::Range rangeFrom(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    return {object.value(QStringLiteral("low")).toDouble(), object.value(QStringLiteral("expected")).toDouble(),
            object.value(QStringLiteral("high")).toDouble()};
}

} // namespace

QJsonObject toJson(const LaunchPlan &plan)
{
    const cost::TrainingSettings &s = plan.settings;
    QJsonObject settings {
        {QStringLiteral("method"), cost::methodName(s.method)},
        {QStringLiteral("epochs"), s.epochs},
        {QStringLiteral("maxSteps"), s.maxSteps},
        {QStringLiteral("microBatch"), s.microBatch},
        {QStringLiteral("gradientAccumulation"), s.gradientAccumulation},
        {QStringLiteral("sequenceLength"), s.sequenceLength},
        {QStringLiteral("gradientCheckpointing"), s.gradientCheckpointing},
        {QStringLiteral("loraRank"), s.loraRank},
        {QStringLiteral("loraAlpha"), s.loraAlpha},
        {QStringLiteral("loraDropout"), s.loraDropout},
        {QStringLiteral("loraTargets"), QJsonArray::fromStringList(s.loraTargets)},
        {QStringLiteral("learningRate"), s.learningRate},
        {QStringLiteral("maxRuntimeHours"), s.maxRuntimeHours ? QJsonValue(*s.maxRuntimeHours) : QJsonValue()}};
    return QJsonObject {
        {QStringLiteral("schema"), 1},
        {QStringLiteral("jobId"), plan.jobId},
        {QStringLiteral("model"),
         QJsonObject {{QStringLiteral("id"), plan.modelId},
                      {QStringLiteral("revision"), plan.modelRevision},
                      {QStringLiteral("parameters"), static_cast<double>(plan.modelParameters)},
                      {QStringLiteral("downloadBytes"), static_cast<double>(plan.modelDownloadBytes)}}},
        {QStringLiteral("dataset"),
         QJsonObject {{QStringLiteral("id"), plan.datasetId},
                      {QStringLiteral("revision"), plan.datasetRevision},
                      {QStringLiteral("config"), plan.datasetConfig},
                      {QStringLiteral("split"), plan.datasetSplit},
                      {QStringLiteral("format"), hub::formatName(plan.mapping.format)},
                      {QStringLiteral("columns"), hub::columnsToJson(plan.mapping)},
                      {QStringLiteral("bytes"), static_cast<double>(plan.datasetBytes)},
                      {QStringLiteral("maxRows"), static_cast<double>(plan.maxRows)}}},
        {QStringLiteral("settings"), settings},
        {QStringLiteral("parallelism"), cost::parallelismKey(plan.parallelism)},
        {QStringLiteral("resources"),
         QJsonObject {{QStringLiteral("region"), plan.region},
                      {QStringLiteral("accelerator"), plan.accelerator},
                      {QStringLiteral("gpusPerNode"), plan.gpusPerNode},
                      {QStringLiteral("nodes"), plan.nodes},
                      {QStringLiteral("spot"), plan.spot},
                      {QStringLiteral("instanceType"), plan.instanceType},
                      {QStringLiteral("managed"), plan.managed},
                      {QStringLiteral("idleMinutes"), plan.idleMinutes},
                      {QStringLiteral("infiniBand"), plan.infiniBand}}},
        {QStringLiteral("output"),
         QJsonObject {{QStringLiteral("hubRepo"), plan.outputRepo},
                      {QStringLiteral("private"), plan.outputPrivate},
                      {QStringLiteral("downloadDir"), plan.downloadDir},
                      {QStringLiteral("hfToken"), plan.useHfToken},
                      {QStringLiteral("wandb"), plan.useWandb}}},
        {QStringLiteral("estimate"),
         QJsonObject {{QStringLiteral("pricePerHour"), plan.pricePerHour},
                      {QStringLiteral("hours"), rangeJson(plan.hours)},
                      {QStringLiteral("costUsd"), rangeJson(plan.costUsd)},
                      {QStringLiteral("catalog"), plan.catalogNote},
                      {QStringLiteral("createdAt"), plan.createdAt.toUTC().toString(Qt::ISODate)}}},
    };
}

Result<LaunchPlan, QString> launchPlanFromJson(const QJsonObject &object)
{
    if (object.value(QStringLiteral("schema")).toInt() != 1)
        return tr("plan.json has an unknown schema version");
    LaunchPlan plan;
    plan.jobId = object.value(QStringLiteral("jobId")).toString();
    const QJsonObject model = object.value(QStringLiteral("model")).toObject();
    plan.modelId = model.value(QStringLiteral("id")).toString();
    plan.modelRevision = model.value(QStringLiteral("revision")).toString();
    plan.modelParameters = model.value(QStringLiteral("parameters")).toInteger();
    plan.modelDownloadBytes = model.value(QStringLiteral("downloadBytes")).toInteger();

    const QJsonObject dataset = object.value(QStringLiteral("dataset")).toObject();
    plan.datasetId = dataset.value(QStringLiteral("id")).toString();
    plan.datasetRevision = dataset.value(QStringLiteral("revision")).toString();
    plan.datasetConfig = dataset.value(QStringLiteral("config")).toString();
    plan.datasetSplit = dataset.value(QStringLiteral("split")).toString();
    plan.datasetBytes = dataset.value(QStringLiteral("bytes")).toInteger();
    plan.maxRows = dataset.value(QStringLiteral("maxRows")).toInteger();
    const std::optional<hub::DataFormat> format
        = hub::formatFromName(dataset.value(QStringLiteral("format")).toString());
    if (!format)
        return tr("plan.json names no data format");
    plan.mapping = hub::columnsFromJson(*format, dataset.value(QStringLiteral("columns")).toObject());

    const QJsonObject settings = object.value(QStringLiteral("settings")).toObject();
    const std::optional<cost::Method> method
        = cost::methodFromName(settings.value(QStringLiteral("method")).toString());
    if (!method)
        return tr("plan.json names no training method");
    cost::TrainingSettings &s = plan.settings;
    s.method = *method;
    s.epochs = settings.value(QStringLiteral("epochs")).toDouble(1.0);
    s.maxSteps = settings.value(QStringLiteral("maxSteps")).toInt();
    s.microBatch = settings.value(QStringLiteral("microBatch")).toInt(1);
    s.gradientAccumulation = settings.value(QStringLiteral("gradientAccumulation")).toInt(8);
    s.sequenceLength = settings.value(QStringLiteral("sequenceLength")).toInt(2048);
    s.gradientCheckpointing = settings.value(QStringLiteral("gradientCheckpointing")).toBool(true);
    s.loraRank = settings.value(QStringLiteral("loraRank")).toInt(16);
    s.loraAlpha = settings.value(QStringLiteral("loraAlpha")).toInt(32);
    s.loraDropout = settings.value(QStringLiteral("loraDropout")).toDouble(0.05);
    s.loraTargets.clear();
    for (const QJsonValue &target : settings.value(QStringLiteral("loraTargets")).toArray())
        s.loraTargets.append(target.toString());
    s.learningRate = settings.value(QStringLiteral("learningRate")).toDouble(2e-4);
    if (settings.value(QStringLiteral("maxRuntimeHours")).isDouble())
        s.maxRuntimeHours = settings.value(QStringLiteral("maxRuntimeHours")).toDouble();
    const std::optional<cost::Parallelism> parallelism
        = cost::parallelismFromKey(object.value(QStringLiteral("parallelism")).toString());
    if (!parallelism)
        return tr("plan.json names no parallelism");
    plan.parallelism = *parallelism;

    const QJsonObject resources = object.value(QStringLiteral("resources")).toObject();
    plan.region = resources.value(QStringLiteral("region")).toString();
    plan.accelerator = resources.value(QStringLiteral("accelerator")).toString();
    plan.gpusPerNode = resources.value(QStringLiteral("gpusPerNode")).toInt(1);
    plan.nodes = resources.value(QStringLiteral("nodes")).toInt(1);
    plan.spot = resources.value(QStringLiteral("spot")).toBool();
    plan.instanceType = resources.value(QStringLiteral("instanceType")).toString();
    plan.managed = resources.value(QStringLiteral("managed")).toBool();
    plan.idleMinutes = resources.value(QStringLiteral("idleMinutes")).toInt(30);
    plan.infiniBand = resources.value(QStringLiteral("infiniBand")).toBool();

    const QJsonObject output = object.value(QStringLiteral("output")).toObject();
    plan.outputRepo = output.value(QStringLiteral("hubRepo")).toString();
    plan.outputPrivate = output.value(QStringLiteral("private")).toBool(true);
    plan.downloadDir = output.value(QStringLiteral("downloadDir")).toString();
    if (!plan.downloadDir.isEmpty() && !QDir::isAbsolutePath(plan.downloadDir))
        return tr("plan.json names a download folder that is not an absolute path");
    plan.useHfToken = output.value(QStringLiteral("hfToken")).toBool();
    plan.useWandb = output.value(QStringLiteral("wandb")).toBool();

    const QJsonObject estimate = object.value(QStringLiteral("estimate")).toObject();
    plan.pricePerHour = estimate.value(QStringLiteral("pricePerHour")).toDouble();
    plan.hours = rangeFrom(estimate.value(QStringLiteral("hours")));
    plan.costUsd = rangeFrom(estimate.value(QStringLiteral("costUsd")));
    plan.catalogNote = estimate.value(QStringLiteral("catalog")).toString();
    plan.createdAt = QDateTime::fromString(estimate.value(QStringLiteral("createdAt")).toString(), Qt::ISODate);
    if (plan.jobId.isEmpty() || plan.modelId.isEmpty() || plan.datasetId.isEmpty() || plan.accelerator.isEmpty())
        return tr("plan.json lacks the job id, model, dataset or GPU");
    return plan;
}

QString newJobId(const QString &modelId)
{
    QString slug = modelId.section(QLatin1Char('/'), -1).toLower();
    slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    slug.replace(QRegularExpression(QStringLiteral("^-+|-+$")), QString());
    if (slug.isEmpty() || !slug.front().isLetter())
        slug.prepend(QStringLiteral("m-"));
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString suffix;
    for (int i = 0; i < 6; ++i)
        suffix.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(36)]));
    // "vibeml-" (7) + slug + "-" + 6 ≤ 50.
    slug = slug.left(50 - 7 - 1 - 6);
    while (slug.endsWith(QLatin1Char('-')))
        slug.chop(1);
    return QStringLiteral("vibeml-") + slug + QLatin1Char('-') + suffix;
}

LaunchPlan planFromOffer(const QString &jobId, const cost::ModelFacts &model, const QString &modelRevision,
                         const cost::DatasetFacts &data, const QString &datasetRevision, const QString &config,
                         const QString &split, const hub::ColumnMapping &mapping,
                         const cost::TrainingSettings &settings, const cost::OfferEstimate &offer)
{
    LaunchPlan plan;
    plan.jobId = jobId;
    plan.modelId = model.id;
    plan.modelRevision = modelRevision;
    plan.modelParameters = model.parameters;
    plan.modelDownloadBytes = model.downloadBytes;
    plan.datasetId = data.id;
    plan.datasetRevision = datasetRevision;
    plan.datasetConfig = config;
    plan.datasetSplit = split;
    plan.mapping = mapping;
    plan.datasetBytes = data.bytes;
    plan.settings = settings;
    plan.parallelism = offer.memory.parallelism;
    plan.region = offer.instance.region;
    plan.accelerator = offer.instance.accelerator;
    plan.gpusPerNode = offer.instance.acceleratorCount;
    plan.nodes = offer.nodes;
    plan.spot = offer.spot;
    plan.instanceType = offer.instance.instanceType;
    plan.managed = offer.spot;
    plan.infiniBand = catalog::hasInfiniBand(offer.instance);
    plan.pricePerHour = offer.pricePerHour;
    plan.hours = offer.time.totalHours;
    plan.costUsd = offer.costUsd;
    plan.createdAt = QDateTime::currentDateTimeUtc();
    return plan;
}

} // namespace vibeml::sky

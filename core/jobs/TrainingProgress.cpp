#include "jobs/TrainingProgress.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>

#include <cmath>

namespace vibeml::jobs {
namespace {

ProgressEvent::Kind kindOf(QStringView name)
{
    using Kind = ProgressEvent::Kind;
    if (name == u"progress")
        return Kind::Progress;
    if (name == u"start")
        return Kind::Start;
    if (name == u"eval")
        return Kind::Eval;
    if (name == u"checkpoint")
        return Kind::Checkpoint;
    if (name == u"done")
        return Kind::Done;
    if (name == u"error")
        return Kind::Error;
    return Kind::Unknown;
}

std::optional<double> number(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return std::nullopt;
    return value.toDouble();
}

std::optional<qint64> whole(const QJsonObject &object, QLatin1StringView key)
{
    const std::optional<double> value = number(object, key);
    if (!value || *value < 0 || *value > 9e15)
        return std::nullopt;
    return static_cast<qint64>(std::llround(*value));
}

void put(QJsonObject &object, QLatin1StringView key, const std::optional<double> &value)
{
    if (value)
        object.insert(key, *value);
}

QString shortDuration(double seconds)
{
    const qint64 total = static_cast<qint64>(std::max(0.0, seconds));
    if (total >= 3600)
        return QStringLiteral("%1h%2m").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (total >= 60)
        return QStringLiteral("%1m").arg(total / 60);
    return QStringLiteral("%1s").arg(total);
}

} // namespace

std::optional<ProgressEvent> parseProgressLine(QStringView line)
{
    const qsizetype marker = line.indexOf(kProgressMarker);
    if (marker < 0)
        return std::nullopt;
    QStringView json = line.mid(marker + kProgressMarker.size()).trimmed();
    // A colour reset or '\r' redraw may trail the object; the object ends at its last brace.
    const qsizetype end = json.lastIndexOf(u'}');
    if (!json.startsWith(u'{') || end < 0)
        return std::nullopt;
    json = json.left(end + 1);

    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QJsonValue name = object.value(QLatin1String("event"));
    if (!name.isString())
        return std::nullopt;

    ProgressEvent event;
    event.kind = kindOf(name.toString());
    event.time = number(object, QLatin1String("time")).value_or(0);
    event.step = whole(object, QLatin1String("step"));
    if (!event.step)
        event.step = whole(object, QLatin1String("steps"));
    event.totalSteps = whole(object, QLatin1String("totalSteps"));
    event.loss = number(object, QLatin1String("loss"));
    if (!event.loss)
        event.loss = number(object, QLatin1String("finalLoss"));
    event.learningRate = number(object, QLatin1String("learningRate"));
    event.epoch = number(object, QLatin1String("epoch"));
    event.tokensPerSecond = number(object, QLatin1String("tokensPerSecond"));
    event.etaSeconds = number(object, QLatin1String("etaSeconds"));
    event.gpuMemoryGb = number(object, QLatin1String("gpuMemoryGB"));
    event.evalLoss = number(object, QLatin1String("evalLoss"));
    event.resumedFromStep = whole(object, QLatin1String("resumedFromStep"));
    event.path = object.value(QLatin1String("path")).toString();
    event.hubUrl = object.value(QLatin1String("hubUrl")).toString();
    event.errorKind = object.value(QLatin1String("kind")).toString();
    event.message = object.value(QLatin1String("message")).toString();
    event.stoppedEarly = object.value(QLatin1String("stoppedEarly")).toBool();
    return event;
}

void TrainingProgress::apply(const ProgressEvent &event)
{
    using Kind = ProgressEvent::Kind;
    if (event.kind == Kind::Unknown)
        return;
    updatedAt = std::max(updatedAt, event.time > 0 ? event.time : updatedAt + 1e-3);
    if (event.totalSteps && *event.totalSteps > 0)
        totalSteps = *event.totalSteps;
    switch (event.kind) {
    case Kind::Start:
        resumedFromStep = event.resumedFromStep;
        if (event.resumedFromStep)
            step = std::max(step, *event.resumedFromStep);
        break;
    case Kind::Progress:
        if (event.step)
            step = std::max(step, *event.step);
        if (event.loss)
            loss = event.loss;
        if (event.learningRate)
            learningRate = event.learningRate;
        if (event.epoch)
            epoch = event.epoch;
        if (event.tokensPerSecond)
            tokensPerSecond = event.tokensPerSecond;
        if (event.etaSeconds)
            etaSeconds = event.etaSeconds;
        break;
    case Kind::Eval:
        if (event.evalLoss)
            evalLoss = event.evalLoss;
        break;
    case Kind::Checkpoint:
        lastCheckpoint = event.path;
        break;
    case Kind::Done:
        done = true;
        stoppedEarly = event.stoppedEarly;
        hubUrl = event.hubUrl;
        if (event.step)
            step = std::max(step, *event.step);
        if (event.loss)
            loss = event.loss;
        etaSeconds = 0;
        break;
    case Kind::Error:
        errorKind = event.errorKind;
        errorMessage = event.message;
        break;
    case Kind::Unknown:
        break;
    }
}

double TrainingProgress::fraction() const
{
    if (totalSteps <= 0)
        return done ? 1.0 : 0.0;
    return std::clamp(static_cast<double>(step) / static_cast<double>(totalSteps), 0.0, 1.0);
}

QJsonObject TrainingProgress::toJson() const
{
    QJsonObject object{{QStringLiteral("step"), step}, {QStringLiteral("totalSteps"), totalSteps},
                       {QStringLiteral("updatedAt"), updatedAt}};
    put(object, QLatin1String("loss"), loss);
    put(object, QLatin1String("learningRate"), learningRate);
    put(object, QLatin1String("epoch"), epoch);
    put(object, QLatin1String("tokensPerSecond"), tokensPerSecond);
    put(object, QLatin1String("etaSeconds"), etaSeconds);
    put(object, QLatin1String("evalLoss"), evalLoss);
    if (resumedFromStep)
        object.insert(QLatin1String("resumedFromStep"), *resumedFromStep);
    if (!lastCheckpoint.isEmpty())
        object.insert(QLatin1String("lastCheckpoint"), lastCheckpoint);
    if (done)
        object.insert(QLatin1String("done"), true);
    if (stoppedEarly)
        object.insert(QLatin1String("stoppedEarly"), true);
    if (!hubUrl.isEmpty())
        object.insert(QLatin1String("hubUrl"), hubUrl);
    if (!errorKind.isEmpty())
        object.insert(QLatin1String("errorKind"), errorKind);
    if (!errorMessage.isEmpty())
        object.insert(QLatin1String("errorMessage"), errorMessage);
    return object;
}

TrainingProgress TrainingProgress::fromJson(const QJsonObject &object)
{
    TrainingProgress progress;
    progress.step = whole(object, QLatin1String("step")).value_or(0);
    progress.totalSteps = whole(object, QLatin1String("totalSteps")).value_or(0);
    progress.updatedAt = number(object, QLatin1String("updatedAt")).value_or(0);
    progress.loss = number(object, QLatin1String("loss"));
    progress.learningRate = number(object, QLatin1String("learningRate"));
    progress.epoch = number(object, QLatin1String("epoch"));
    progress.tokensPerSecond = number(object, QLatin1String("tokensPerSecond"));
    progress.etaSeconds = number(object, QLatin1String("etaSeconds"));
    progress.evalLoss = number(object, QLatin1String("evalLoss"));
    progress.resumedFromStep = whole(object, QLatin1String("resumedFromStep"));
    progress.lastCheckpoint = object.value(QLatin1String("lastCheckpoint")).toString();
    progress.done = object.value(QLatin1String("done")).toBool();
    progress.stoppedEarly = object.value(QLatin1String("stoppedEarly")).toBool();
    progress.hubUrl = object.value(QLatin1String("hubUrl")).toString();
    progress.errorKind = object.value(QLatin1String("errorKind")).toString();
    progress.errorMessage = object.value(QLatin1String("errorMessage")).toString();
    return progress;
}

QString TrainingProgress::summary() const
{
    if (isEmpty())
        return QString();
    const QLocale locale(QLocale::English, QLocale::UnitedStates);
    QStringList parts;
    if (totalSteps > 0)
        parts << QCoreApplication::translate("TrainingProgress", "step %1/%2").arg(step).arg(totalSteps);
    else if (step > 0)
        parts << QCoreApplication::translate("TrainingProgress", "step %1").arg(step);
    if (loss)
        parts << QCoreApplication::translate("TrainingProgress", "loss %1").arg(*loss, 0, 'f', 4);
    if (evalLoss)
        parts << QCoreApplication::translate("TrainingProgress", "eval loss %1").arg(*evalLoss, 0, 'f', 4);
    if (tokensPerSecond && !done)
        parts << QCoreApplication::translate("TrainingProgress", "%1 tok/s").arg(locale.toString(std::llround(*tokensPerSecond)));
    if (etaSeconds && !done && *etaSeconds > 0)
        parts << QCoreApplication::translate("TrainingProgress", "ETA %1").arg(shortDuration(*etaSeconds));
    if (done)
        parts << (stoppedEarly ? QCoreApplication::translate("TrainingProgress", "stopped at the runtime limit")
                               : QCoreApplication::translate("TrainingProgress", "finished"));
    if (!errorKind.isEmpty())
        parts << QCoreApplication::translate("TrainingProgress", "error (%1)").arg(errorKind);
    return parts.join(QStringLiteral(" · "));
}

} // namespace vibeml::jobs

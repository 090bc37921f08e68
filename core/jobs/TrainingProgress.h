#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringView>

#include <optional>

// The training script's progress lines (resources/training/README.md): "@@VIBEML@@ {json}" somewhere
// in a log line, after SkyPilot's "(task, pid=N) " prefix. Parsing is pure and cheap for the lines
// that are not progress lines (one substring search), because every log line goes through it.
namespace vibeml::jobs {

struct ProgressEvent
{
    enum class Kind { Start, Progress, Eval, Checkpoint, Done, Error, Unknown };
    Kind kind = Kind::Unknown;
    double time = 0; // Unix seconds, as the script reported it

    std::optional<qint64> step;
    std::optional<qint64> totalSteps;
    std::optional<double> loss;
    std::optional<double> learningRate;
    std::optional<double> epoch;
    std::optional<double> tokensPerSecond;
    std::optional<double> etaSeconds;
    std::optional<double> gpuMemoryGb;
    std::optional<double> evalLoss;
    std::optional<qint64> resumedFromStep;
    QString path;      // checkpoint path
    QString hubUrl;    // done
    QString errorKind; // error: data, oom, auth, config, runtime
    QString message;   // error
    bool stoppedEarly = false;
};

inline constexpr QLatin1StringView kProgressMarker{"@@VIBEML@@ "};

// nullopt for ordinary log lines and for marker lines whose JSON is damaged or has no "event".
std::optional<ProgressEvent> parseProgressLine(QStringView line);
// The same for a line in UTF-8, without a QString: the script's flat objects (numbers, plain
// strings, booleans) are read directly; anything else goes through QJsonDocument.
std::optional<ProgressEvent> parseProgressLine(QByteArrayView utf8Line);

// What a job's progress lines add up to: the latest figures, for the jobs table, the progress bar
// and the CLI's status. Stored with the job as JSON.
struct TrainingProgress
{
    qint64 step = 0;
    qint64 totalSteps = 0;
    std::optional<double> loss;
    std::optional<double> learningRate;
    std::optional<double> epoch;
    std::optional<double> tokensPerSecond;
    std::optional<double> etaSeconds;
    std::optional<double> evalLoss;
    std::optional<qint64> resumedFromStep;
    QString lastCheckpoint;
    bool done = false;
    bool stoppedEarly = false;
    QString hubUrl;
    QString errorKind;
    QString errorMessage;
    double updatedAt = 0; // the script's time of the last event

    void apply(const ProgressEvent &event);
    bool isEmpty() const { return updatedAt == 0; }
    double fraction() const; // 0..1; 0 when the total is unknown
    QJsonObject toJson() const;
    static TrainingProgress fromJson(const QJsonObject &object);
    // "step 120/300 · loss 0.412 · 2,740 tok/s · ETA 12m"
    QString summary() const;
};

} // namespace vibeml::jobs

#include "jobs/TrainingProgress.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <string_view>

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

ProgressEvent::Kind kindOfBytes(QByteArrayView name)
{
    using Kind = ProgressEvent::Kind;
    if (name == "progress")
        return Kind::Progress;
    if (name == "start")
        return Kind::Start;
    if (name == "eval")
        return Kind::Eval;
    if (name == "checkpoint")
        return Kind::Checkpoint;
    if (name == "done")
        return Kind::Done;
    if (name == "error")
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

namespace {

ProgressEvent eventFrom(const QJsonObject &object)
{
    ProgressEvent event;
    event.kind = kindOf(object.value(QLatin1String("event")).toString());
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

std::optional<ProgressEvent> parseWithQJson(QByteArrayView json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (!object.value(QLatin1String("event")).isString())
        return std::nullopt;
    return eventFrom(object);
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The script's objects are flat: "key": number | "plain string" | true | false. This reads those
// in one pass with no allocation but the strings kept; on anything else (escapes, null, nested
// values, duplicate keys, a malformed number) it gives up and QJsonDocument decides, so the
// answers are QJsonDocument's either way.
class FlatObjectReader
{
public:
    explicit FlatObjectReader(QByteArrayView json) : m_at(json.data()), m_end(json.data() + json.size()) {}

    enum class Outcome { Parsed, Invalid, Unsure };

    Outcome read(ProgressEvent &event)
    {
        bool eventIsString = false;
        bool sawFinalLoss = false;
        std::optional<double> finalLoss;
        std::optional<qint64> steps;
        quint32 seen = 0;
        skipSpace();
        if (!consume('{'))
            return Outcome::Invalid;
        skipSpace();
        if (consume('}'))
            return Outcome::Invalid; // no "event"
        for (;;) {
            QByteArrayView key;
            if (!readPlainString(key))
                return Outcome::Unsure;
            skipSpace();
            if (!consume(':'))
                return Outcome::Unsure;
            skipSpace();
            if (m_at >= m_end)
                return Outcome::Unsure;
            Value value;
            if (*m_at == '"') {
                value.kind = Value::String;
                if (!readPlainString(value.text))
                    return Outcome::Unsure;
            } else if (startsWith("true")) {
                value.kind = Value::Bool;
                value.boolean = true;
                m_at += 4;
            } else if (startsWith("false")) {
                value.kind = Value::Bool;
                m_at += 5;
            } else if (*m_at == '-' || (*m_at >= '0' && *m_at <= '9')) {
                value.kind = Value::Number;
                if (!readNumber(value.number))
                    return Outcome::Unsure;
            } else {
                return Outcome::Unsure; // null, an object or an array: let QJsonDocument judge
            }
            const int slot = slotOf(key);
            if (slot >= 0) {
                if (seen & (1u << slot))
                    return Outcome::Unsure; // a duplicate key
                seen |= 1u << slot;
            }
            auto asNumber = [&]() -> std::optional<double> {
                if (value.kind != Value::Number || !std::isfinite(value.number))
                    return std::nullopt;
                return value.number;
            };
            auto asWhole = [&]() -> std::optional<qint64> {
                const std::optional<double> number = asNumber();
                if (!number || *number < 0 || *number > 9e15)
                    return std::nullopt;
                return static_cast<qint64>(std::llround(*number));
            };
            auto asString = [&]() {
                return value.kind == Value::String ? QString::fromUtf8(value.text) : QString();
            };
            switch (slot) {
            case 0:
                eventIsString = value.kind == Value::String;
                if (eventIsString)
                    event.kind = kindOfBytes(value.text);
                break;
            case 1: event.time = asNumber().value_or(0); break;
            case 2: event.step = asWhole(); break;
            case 3: steps = asWhole(); break;
            case 4: event.totalSteps = asWhole(); break;
            case 5: event.loss = asNumber(); break;
            case 6: sawFinalLoss = true; finalLoss = asNumber(); break;
            case 7: event.learningRate = asNumber(); break;
            case 8: event.epoch = asNumber(); break;
            case 9: event.tokensPerSecond = asNumber(); break;
            case 10: event.etaSeconds = asNumber(); break;
            case 11: event.gpuMemoryGb = asNumber(); break;
            case 12: event.evalLoss = asNumber(); break;
            case 13: event.resumedFromStep = asWhole(); break;
            case 14: event.path = asString(); break;
            case 15: event.hubUrl = asString(); break;
            case 16: event.errorKind = asString(); break;
            case 17: event.message = asString(); break;
            case 18: event.stoppedEarly = value.kind == Value::Bool && value.boolean; break;
            default: break;
            }
            skipSpace();
            if (consume(',')) {
                skipSpace();
                continue;
            }
            if (!consume('}'))
                return Outcome::Unsure;
            skipSpace();
            if (m_at != m_end)
                return Outcome::Unsure;
            break;
        }
        if (!eventIsString)
            return Outcome::Invalid; // no "event", or not a string
        if (!event.step)
            event.step = steps;
        if (!event.loss && sawFinalLoss)
            event.loss = finalLoss;
        return Outcome::Parsed;
    }

private:
    struct Value
    {
        enum Kind { String, Number, Bool } kind = Number;
        QByteArrayView text;
        double number = 0;
        bool boolean = false;
    };

    static int slotOf(QByteArrayView key)
    {
        static constexpr std::string_view kKeys[] = {
            "event", "time", "step", "steps", "totalSteps", "loss", "finalLoss", "learningRate", "epoch",
            "tokensPerSecond", "etaSeconds", "gpuMemoryGB", "evalLoss", "resumedFromStep", "path", "hubUrl",
            "kind", "message", "stoppedEarly"};
        // A perfect hash of the keys above (first and last byte, length): one comparison a key.
        constexpr auto hash = [](std::string_view name) {
            return (7 * (static_cast<uchar>(name.front()) + static_cast<uchar>(name.back())) + name.size()) % 64;
        };
        static constexpr auto kTable = [hash] {
            std::array<qint8, 64> table{};
            table.fill(-1);
            for (int i = 0; i < int(std::size(kKeys)); ++i) {
                if (table[hash(kKeys[i])] >= 0)
                    throw "two keys hash alike: change the hash"; // at compile time
                table[hash(kKeys[i])] = qint8(i);
            }
            return table;
        }();
        const std::string_view wanted(key.data(), static_cast<size_t>(key.size()));
        if (wanted.empty())
            return -1;
        const int slot = kTable[hash(wanted)];
        return slot >= 0 && kKeys[slot] == wanted ? slot : -1;
    }

    void skipSpace()
    {
        while (m_at < m_end && isJsonSpace(*m_at))
            ++m_at;
    }

    bool consume(char c)
    {
        if (m_at < m_end && *m_at == c) {
            ++m_at;
            return true;
        }
        return false;
    }

    bool startsWith(std::string_view word) const
    {
        return size_t(m_end - m_at) >= word.size() && std::memcmp(m_at, word.data(), word.size()) == 0;
    }

    // A string without escapes or control characters (the input is valid UTF-8 already).
    bool readPlainString(QByteArrayView &out)
    {
        if (!consume('"'))
            return false;
        const char *start = m_at;
        while (m_at < m_end && *m_at != '"') {
            const auto c = static_cast<uchar>(*m_at);
            if (c == '\\' || c < 0x20)
                return false;
            ++m_at;
        }
        if (m_at >= m_end)
            return false;
        out = QByteArrayView(start, m_at - start);
        ++m_at;
        return true;
    }

    // JSON's number grammar, exactly; then the value rounded as strtod rounds it.
    bool readNumber(double &out)
    {
        const char *start = m_at;
        const char *p = m_at;
        const bool negative = p < m_end && *p == '-';
        if (negative)
            ++p;
        if (p >= m_end)
            return false;
        // The digits as one integer while it stays exact in a double, for the fast path below.
        quint64 mantissa = 0;
        int digitCount = 0;
        const auto takeDigits = [&] {
            const char *first = p;
            for (; p < m_end && *p >= '0' && *p <= '9'; ++p) {
                if (++digitCount <= 19)
                    mantissa = mantissa * 10 + quint64(*p - '0');
            }
            return p - first;
        };
        if (*p == '0') {
            ++p;
            ++digitCount;
        } else if (*p >= '1' && *p <= '9') {
            takeDigits();
        } else {
            return false;
        }
        qsizetype fractionDigits = 0;
        if (p < m_end && *p == '.') {
            ++p;
            fractionDigits = takeDigits();
            if (fractionDigits == 0)
                return false;
        }
        bool exponent = false;
        if (p < m_end && (*p == 'e' || *p == 'E')) {
            exponent = true;
            ++p;
            if (p < m_end && (*p == '+' || *p == '-'))
                ++p;
            const char *digits = p;
            while (p < m_end && *p >= '0' && *p <= '9')
                ++p;
            if (p == digits)
                return false;
        }
        // Clinger's fast path: an integer below 2^53 divided by an exact power of ten is
        // correctly rounded by the division itself, so it equals strtod's answer.
        static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                                  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        if (!exponent && digitCount <= 19 && mantissa <= (quint64{1} << 53) && fractionDigits < qsizetype(std::size(kPowersOfTen))) {
            const double value = double(mantissa) / kPowersOfTen[fractionDigits];
            out = negative ? -value : value;
            m_at = p;
            return true;
        }
        const auto [end, error] = std::from_chars(start, p, out);
        if (error != std::errc() || end != p)
            return false; // out of range and the like: QJsonDocument's call
        m_at = p;
        return true;
    }

    const char *m_at;
    const char *m_end;
};

} // namespace

std::optional<ProgressEvent> parseProgressLine(QByteArrayView line)
{
    // string_view's find looks for the first byte with memchr; QByteArrayView's sets up a
    // Boyer-Moore table first, about a sixth of the cost of parsing a progress line.
    const size_t marker = std::string_view(line.data(), static_cast<size_t>(line.size()))
                              .find(std::string_view(kProgressMarker.data(), static_cast<size_t>(kProgressMarker.size())));
    if (marker == std::string_view::npos)
        return std::nullopt;
    QByteArrayView json = line.sliced(static_cast<qsizetype>(marker) + kProgressMarker.size()).trimmed();
    // A colour reset or '\r' redraw may trail the object; the object ends at its last brace.
    const qsizetype end = json.lastIndexOf('}');
    if (!json.startsWith('{') || end < 0)
        return std::nullopt;
    json = json.first(end + 1);

    ProgressEvent event;
    switch (FlatObjectReader(json).read(event)) {
    case FlatObjectReader::Outcome::Parsed:
        return event;
    case FlatObjectReader::Outcome::Invalid:
        return std::nullopt;
    case FlatObjectReader::Outcome::Unsure:
        break;
    }
    return parseWithQJson(json);
}

std::optional<ProgressEvent> parseProgressLine(QStringView line)
{
    const qsizetype marker = line.indexOf(kProgressMarker);
    if (marker < 0)
        return std::nullopt;
    return parseProgressLine(QByteArrayView(line.mid(marker).toUtf8()));
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

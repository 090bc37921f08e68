#pragma once

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vibeml::test {

// The fake `sky` (tests/fakes/fake_sky) with a private state folder. Tests set its config
// (faults, timings, outcomes) through setConfig and count its invocations.
class FakeSky
{
public:
    FakeSky()
    {
        static int counter = 0;
        m_state = isolatedRoot() + QStringLiteral("/fake-sky-%1").arg(++counter);
        QDir().mkpath(m_state);
        setConfig({{QStringLiteral("banner"), false}, {QStringLiteral("provision_seconds"), 0.2}, {QStringLiteral("job_seconds"), 0.6},
                   {QStringLiteral("log_lines"), 30}, {QStringLiteral("log_delay"), 0.005}});
    }

    static QString program() { return QStringLiteral(FAKE_SKY); }
    QString stateDirectory() const { return m_state; }

    void setConfig(const QJsonObject &values)
    {
        m_config = values;
        writeFile(m_state + QStringLiteral("/config.json"), QJsonDocument(m_config).toJson());
    }
    void set(const QString &key, const QJsonValue &value)
    {
        m_config.insert(key, value);
        writeFile(m_state + QStringLiteral("/config.json"), QJsonDocument(m_config).toJson());
    }
    void setFaults(const QStringList &faults) { set(QStringLiteral("faults"), QJsonArray::fromStringList(faults)); }

    // The argv of every invocation so far.
    QList<QStringList> invocations() const
    {
        QList<QStringList> result;
        const QList<QByteArray> lines = readFile(m_state + QStringLiteral("/invocations.log")).split('\n');
        for (const QByteArray &line : lines) {
            const QJsonArray array = QJsonDocument::fromJson(line).array();
            if (array.isEmpty())
                continue;
            QStringList arguments;
            for (const QJsonValue &value : array)
                arguments.append(value.toString());
            result.append(arguments);
        }
        return result;
    }

    // The clusters the fake has (in any status): what would bill.
    QStringList clusters() const
    {
        const QJsonObject state = QJsonDocument::fromJson(readFile(m_state + QStringLiteral("/state.json"))).object();
        return state.value(QStringLiteral("clusters")).toObject().keys();
    }

    // Environment for a child `sky`: where the fake keeps its state.
    QStringList environment() const { return {QStringLiteral("FAKE_SKY_STATE=") + m_state}; }

private:
    QString m_state;
    QJsonObject m_config;
};

} // namespace vibeml::test

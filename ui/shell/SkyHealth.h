#pragma once

#include "sky/Preflight.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace vibeml {

// Whether `sky` is usable: found, its version, its API server, and Nebius enabled in `sky check`.
// Runs the preflight's first steps (`sky -v`, `sky api info`, `sky check nebius`) asynchronously
// when asked — once at start and after the sky settings change — and keeps the last report.
class SkyHealth : public QObject
{
    Q_OBJECT

public:
    enum class State { NotChecked, Checking, Ready, NotFound, Problem, NebiusDisabled };

    explicit SkyHealth(std::function<sky::SkyEnvironment()> environment, QObject *parent = nullptr);

    // Starts a check unless one is running (then that one's answer counts).
    void check();
    bool isChecking() const { return m_preflight != nullptr; }

    State state() const;
    const std::optional<sky::PreflightReport> &report() const { return m_report; }
    sky::SkyEnvironment environment() const { return m_environment(); }

    // "sky 0.10.3 · Nebius enabled", "sky not found", …
    QString statusText() const;
    // Every step with its verdict and advice.
    QString detailText() const;
    // The executable that runs (resolved on PATH), or why there is none.
    QString programText() const;
    // The API server: from `sky api info`, else the setting, else "the local server".
    QString apiServerText() const;

    // What is missing under ~/.nebius and the exact commands that create it (empty when complete).
    static QStringList nebiusFixes(const QString &home);
    QString home() const;

Q_SIGNALS:
    void changed();

private:
    const sky::PreflightItem *item(const QString &title) const;

    std::function<sky::SkyEnvironment()> m_environment;
    QPointer<sky::Preflight> m_preflight;
    std::optional<sky::PreflightReport> m_report;
};

} // namespace vibeml

#include "jobs/JournalDatabase.h"

#include "config/PrivateFiles.h"
#include "log/Logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace vibeml::jobs {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JournalDatabase", text);
}

// Each step moves the schema one version forward; never edit a released step, add a new one.
const QStringList &migrations()
{
    static const QStringList steps = {
        // 1: the monthly spend ledger.
        QStringLiteral("CREATE TABLE spend ("
                       " id INTEGER PRIMARY KEY,"
                       " job_id TEXT NOT NULL,"
                       " month TEXT NOT NULL CHECK (length(month) = 7),"
                       " amount_usd REAL NOT NULL CHECK (amount_usd >= 0),"
                       " recorded_at TEXT NOT NULL,"
                       " note TEXT NOT NULL DEFAULT '');"
                       "CREATE INDEX spend_by_month ON spend(month);"),
        // 2: jobs, their append-only history, their training curves, and the leases that decide
        // which VibeML process acts (monitor) while several share the journal.
        QStringLiteral("CREATE TABLE jobs ("
                       " id TEXT PRIMARY KEY,"
                       " cluster TEXT NOT NULL,"
                       " managed INTEGER NOT NULL DEFAULT 0,"
                       " state TEXT NOT NULL,"
                       " outcome TEXT NOT NULL DEFAULT '',"
                       " reason TEXT NOT NULL DEFAULT '',"
                       " source TEXT NOT NULL DEFAULT '',"
                       " plan_json TEXT NOT NULL,"
                       " bundle_dir TEXT NOT NULL,"
                       " model_id TEXT NOT NULL DEFAULT '',"
                       " dataset_id TEXT NOT NULL DEFAULT '',"
                       " accelerators TEXT NOT NULL DEFAULT '',"
                       " nodes INTEGER NOT NULL DEFAULT 1,"
                       " spot INTEGER NOT NULL DEFAULT 0,"
                       " region TEXT NOT NULL DEFAULT '',"
                       " sky_job_id INTEGER,"
                       " managed_job_id INTEGER,"
                       " price_per_hour REAL NOT NULL CHECK (price_per_hour >= 0),"
                       " estimate_low_usd REAL NOT NULL DEFAULT 0,"
                       " estimate_high_usd REAL NOT NULL DEFAULT 0,"
                       " budget_cap_usd REAL,"
                       " teardown_policy TEXT NOT NULL DEFAULT 'down',"
                       " keep_minutes INTEGER NOT NULL DEFAULT 30,"
                       " purge INTEGER NOT NULL DEFAULT 0,"
                       " created_at TEXT NOT NULL,"
                       " launch_started_at TEXT,"
                       " ended_at TEXT,"
                       " torn_down_at TEXT,"
                       " updated_at TEXT NOT NULL,"
                       " billed_seconds REAL NOT NULL DEFAULT 0,"
                       " billing_since TEXT,"
                       " accrued_usd REAL NOT NULL DEFAULT 0,"
                       " actual_usd REAL,"
                       " budget_warned INTEGER NOT NULL DEFAULT 0,"
                       " launcher_pid INTEGER,"
                       " launcher_started TEXT NOT NULL DEFAULT '',"
                       " launcher_host TEXT NOT NULL DEFAULT '',"
                       " teardown_attempts INTEGER NOT NULL DEFAULT 0,"
                       " next_teardown_at TEXT,"
                       " progress_json TEXT NOT NULL DEFAULT '{}',"
                       " log_lines INTEGER NOT NULL DEFAULT 0,"
                       " cluster_seen INTEGER NOT NULL DEFAULT 0,"
                       " outputs_state TEXT NOT NULL DEFAULT '',"
                       " archived INTEGER NOT NULL DEFAULT 0);"
                       "CREATE INDEX jobs_by_state ON jobs(state);"
                       "CREATE TABLE job_events ("
                       " id INTEGER PRIMARY KEY,"
                       " job_id TEXT NOT NULL REFERENCES jobs(id),"
                       " at TEXT NOT NULL,"
                       " kind TEXT NOT NULL,"
                       " state TEXT NOT NULL DEFAULT '',"
                       " message TEXT NOT NULL DEFAULT '');"
                       "CREATE INDEX job_events_by_job ON job_events(job_id, id);"
                       "CREATE TRIGGER job_events_append_only_update BEFORE UPDATE ON job_events"
                       " BEGIN SELECT RAISE(ABORT, 'job events are append-only'); END;"
                       "CREATE TRIGGER job_events_append_only_delete BEFORE DELETE ON job_events"
                       " BEGIN SELECT RAISE(ABORT, 'job events are append-only'); END;"
                       "CREATE TRIGGER jobs_never_deleted BEFORE DELETE ON jobs"
                       " BEGIN SELECT RAISE(ABORT, 'job records are archived, never deleted'); END;"
                       "CREATE TABLE job_metrics ("
                       " job_id TEXT NOT NULL REFERENCES jobs(id),"
                       " kind TEXT NOT NULL,"
                       " step INTEGER NOT NULL,"
                       " loss REAL,"
                       " learning_rate REAL,"
                       " eval_loss REAL,"
                       " at REAL NOT NULL DEFAULT 0,"
                       " PRIMARY KEY (job_id, kind, step));"
                       "CREATE TABLE leases ("
                       " name TEXT PRIMARY KEY,"
                       " holder TEXT NOT NULL,"
                       " pid INTEGER NOT NULL,"
                       " process_started TEXT NOT NULL DEFAULT '',"
                       " host TEXT NOT NULL DEFAULT '',"
                       " role TEXT NOT NULL DEFAULT '',"
                       " acquired_at TEXT NOT NULL,"
                       " expires_at TEXT NOT NULL);"),
    };
    return steps;
}

bool looksLocked(const QSqlError &error)
{
    const QString text = error.text();
    return text.contains(QLatin1String("locked"), Qt::CaseInsensitive) || text.contains(QLatin1String("busy"), Qt::CaseInsensitive);
}

bool looksCorrupt(const QSqlError &error)
{
    const QString text = error.text();
    return text.contains(QLatin1String("not a database"), Qt::CaseInsensitive)
           || text.contains(QLatin1String("malformed"), Qt::CaseInsensitive)
           || text.contains(QLatin1String("corrupt"), Qt::CaseInsensitive);
}

Status exec(QSqlDatabase &db, const QString &sql)
{
    // QSqlQuery runs one statement at a time. A trigger's body (BEGIN … ; END) holds semicolons of
    // its own, so a fragment joins the next while it has opened more BEGINs than it closed.
    static const QRegularExpression begins(QStringLiteral("\\bBEGIN\\b"));
    static const QRegularExpression ends(QStringLiteral("\\bEND\\b"));
    QString statement;
    for (const QString &fragment : sql.split(QLatin1Char(';'))) {
        statement += fragment;
        if (statement.count(begins) > statement.count(ends)) {
            statement += QLatin1Char(';');
            continue;
        }
        if (!statement.trimmed().isEmpty()) {
            QSqlQuery query(db);
            if (!query.exec(statement))
                return Status::failure(query.lastError().text());
        }
        statement.clear();
    }
    return Status::success();
}

} // namespace

JournalDatabase::JournalDatabase(QString path) : m_path(std::move(path))
{
    static std::atomic<int> counter{0};
    m_connectionName = QStringLiteral("vibeml-journal-%1").arg(++counter);
}

JournalDatabase::~JournalDatabase()
{
    close();
}

void JournalDatabase::close()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    m_state = State::Closed;
}

QSqlDatabase JournalDatabase::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

int JournalDatabase::latestSchemaVersion()
{
    return static_cast<int>(migrations().size());
}

int JournalDatabase::schemaVersion() const
{
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    const int version = query.value(0).toInt();
    query.finish();
    return version;
}

Status JournalDatabase::configureConnection()
{
    QSqlDatabase db = database();
    for (const char *pragma : {"PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                               "PRAGMA foreign_keys = ON"}) {
        QSqlQuery query(db);
        if (!query.exec(QLatin1String(pragma)))
            return Status::failure(query.lastError().text());
        query.finish();
    }
    return Status::success();
}

Status JournalDatabase::open()
{
    close();
    const QString shown = QDir::toNativeSeparators(m_path);
    if (const Status folder = privatefiles::ensureDirectory(QFileInfo(m_path).absolutePath()); !folder) {
        m_state = State::Failed;
        return folder;
    }
    const bool existed = QFileInfo::exists(m_path);
    if (!existed) {
        QFile file(m_path);
        if (file.open(QIODevice::WriteOnly))
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        m_state = looksCorrupt(db.lastError()) ? State::Corrupt : State::Failed;
        return Status::failure(tr("Could not open the job journal %1: %2").arg(shown, db.lastError().text()));
    }

    QSqlQuery check(db);
    if (!check.exec(QStringLiteral("PRAGMA quick_check")) || !check.next() || check.value(0).toString() != QLatin1String("ok")) {
        const QSqlError error = check.lastError();
        if (looksLocked(error)) {
            m_state = State::Locked;
            return Status::failure(tr("The job journal %1 is locked by another VibeML process (%2). Close it or wait, "
                                      "then try again.")
                                       .arg(shown, error.text()));
        }
        m_state = State::Corrupt;
        log::jobs()->error("Journal {} failed its integrity check: {}", m_path, error.text());
        return Status::failure(tr("The job journal %1 is damaged (%2). VibeML can keep the damaged file for "
                                  "inspection and start a fresh journal: use “Recover” in the window or run "
                                  "`vibeml jobs recover-journal`. Clusters still running are found again with "
                                  "`vibeml jobs orphans`.")
                                   .arg(shown, error.isValid() ? error.text() : check.value(0).toString()));
    }
    // A query left open holds a read transaction, and WAL mode cannot be switched on inside one.
    check.finish();
    if (const Status configured = configureConnection(); !configured) {
        m_state = looksLocked(db.lastError()) ? State::Locked : State::Failed;
        return Status::failure(tr("Could not prepare the job journal %1: %2").arg(shown, configured.message()));
    }
    if (const Status migrated = migrate(); !migrated) {
        m_state = State::Failed;
        return Status::failure(tr("Could not update the job journal %1: %2").arg(shown, migrated.message()));
    }
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_state = State::Open;
    return Status::success();
}

Status JournalDatabase::migrate()
{
    const int current = schemaVersion();
    if (current < 0)
        return Status::failure(tr("cannot read the schema version"));
    if (current > latestSchemaVersion()) {
        // A newer VibeML wrote it; reading is fine, changing the schema is not.
        log::jobs()->warn("Journal schema {} is newer than this VibeML ({})", current, latestSchemaVersion());
        return Status::success();
    }
    for (int version = current; version < latestSchemaVersion(); ++version) {
        const Status step = write([version](QSqlDatabase &db) -> Status {
            if (const Status applied = exec(db, migrations().at(version)); !applied)
                return applied;
            return exec(db, QStringLiteral("PRAGMA user_version = %1").arg(version + 1));
        });
        if (!step)
            return step;
        log::jobs()->info("Journal migrated to schema {}", version + 1);
    }
    return Status::success();
}

Status JournalDatabase::write(const std::function<Status(QSqlDatabase &)> &work)
{
    QSqlDatabase db = database();
    QSqlQuery begin(db);
    if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return Status::failure(looksLocked(begin.lastError())
                                   ? tr("the journal is busy in another VibeML process; try again")
                                   : begin.lastError().text());
    Status result = work(db);
    QSqlQuery end(db);
    if (result && !end.exec(QStringLiteral("COMMIT")))
        result = Status::failure(end.lastError().text());
    if (!result) {
        QSqlQuery rollback(db);
        rollback.exec(QStringLiteral("ROLLBACK"));
    }
    return result;
}

Status JournalDatabase::recoverFromCorruption()
{
    close();
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString kept = m_path + QStringLiteral(".corrupt-") + stamp;
    if (QFileInfo::exists(m_path) && !QFile::rename(m_path, kept))
        return Status::failure(tr("Could not move the damaged journal aside to %1.").arg(QDir::toNativeSeparators(kept)));
    // The write-ahead log belongs to the damaged file; keep it with it.
    for (const char *suffix : {"-wal", "-shm"}) {
        const QString side = m_path + QLatin1String(suffix);
        if (QFileInfo::exists(side))
            QFile::rename(side, kept + QLatin1String(suffix));
    }
    m_keptCopy = kept;
    log::jobs()->warn("Journal {} moved aside to {}; starting a fresh one", m_path, kept);
    if (const Status reopened = open(); !reopened)
        return reopened;
    return Status::success();
}

} // namespace vibeml::jobs

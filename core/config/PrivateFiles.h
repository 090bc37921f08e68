#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>

// Files VibeML writes may hold plans, costs and account names: they are readable by the
// owner only (0600) and live in owner-only directories (0700). Writes are atomic, so a crash
// or a full disk leaves either the old file or the new one, never half of either.
namespace vibeml::privatefiles {

// Creates the directory and any missing parents with mode 0700, and tightens an existing one.
Status ensureDirectory(const QString &path);

// Atomically replaces path with data (QSaveFile: write to a temporary, fsync, rename).
Status write(const QString &path, const QByteArray &data);

// Copies path to a free name next to it ("<name>.bak", else "<name>.<timestamp>.bak") and
// returns the backup's path; an empty string when the copy failed.
QString backup(const QString &path, const QString &suffix = QStringLiteral("bak"));

} // namespace vibeml::privatefiles

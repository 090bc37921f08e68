#pragma once

#include "common/Result.h"

#include <QString>

// Saving a job's whole log — from the file on disk, not the view's bounded scrollback — as plain
// text: escape sequences removed and '\r' progress redraws collapsed, as the log view shows it.
namespace vibeml::joblog {

// Blocking and streaming (memory stays small whatever the size): run it off the UI thread.
// Writes atomically; the target is complete or untouched.
Status exportPlainText(const QString &sourcePath, const QString &targetPath);

} // namespace vibeml::joblog

#pragma once

#include <QObject>
#include <QString>

namespace vibeml::modules {

// VibeML's own plugins: the parts that bring large libraries (Qt Charts with OpenGL, Qt Network
// with Kerberos and libproxy) live in modules loaded when first needed, so the window's first
// frame never waits for the dynamic loader to map and relocate them.
//
// They are installed in <prefix>/<libdir>/vibeml/plugins; the build tree has the same layout
// relative to the program (app/vibeml and lib/…/vibeml/plugins), so directory() is found from the
// program's folder in both, never from the environment.
QString directory();

// Loads the module `name` (libname.so) from `folder` once per process and keeps it loaded.
// Returns its plugin object, or nullptr with *problem saying why (missing file, built for
// another Qt, not a VibeML module).
QObject *loadObject(const QString &name, QString *problem, const QString &folder = directory());

// The module's plugin object as `Interface` (a Q_DECLARE_INTERFACE'd class), or nullptr.
template <typename Interface>
Interface *load(const QString &name, QString *problem, const QString &folder = directory())
{
    QObject *object = loadObject(name, problem, folder);
    if (!object)
        return nullptr;
    auto *found = qobject_cast<Interface *>(object);
    if (!found && problem)
        *problem = QStringLiteral("%1 is not the module VibeML expects (%2)").arg(name, QLatin1String(qobject_interface_iid<Interface *>()));
    return found;
}

} // namespace vibeml::modules

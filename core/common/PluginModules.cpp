#include "common/PluginModules.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QPluginLoader>

namespace vibeml::modules {

QString directory()
{
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + QLatin1Char('/') + QStringLiteral(VIBEML_MODULE_DIR_FROM_BIN));
}

QObject *loadObject(const QString &name, QString *problem, const QString &folder)
{
    // Loaded modules stay loaded, with their loaders: the objects they made may live until the
    // program ends, so the registry is never destroyed either.
    static auto *const loaders = new QHash<QString, QPluginLoader *>;
    const QString path = QDir(folder).filePath(QStringLiteral("lib%1.so").arg(name));
    QPluginLoader *&loader = (*loaders)[path];
    if (!loader)
        loader = new QPluginLoader(path);
    if (QObject *object = loader->instance())
        return object;
    if (problem) {
        *problem = QFileInfo::exists(path) ? QStringLiteral("%1 could not be loaded: %2").arg(QDir::toNativeSeparators(path), loader->errorString())
                                           : QStringLiteral("%1 is missing").arg(QDir::toNativeSeparators(path));
    }
    return nullptr;
}

} // namespace vibeml::modules

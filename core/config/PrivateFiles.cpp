#include "config/PrivateFiles.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>

namespace vibeml::privatefiles {
namespace {

constexpr QFileDevice::Permissions kOwnerOnlyDir =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions kOwnerOnlyFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

Status ensureDirectory(const QString &path)
{
    if (path.isEmpty())
        return Status::failure(QObject::tr("No directory was given."));
    QDir dir(path);
    if (!dir.exists() && !QDir().mkpath(path))
        return Status::failure(QObject::tr("Could not create the folder %1. Check that its parent exists and is writable.")
                                   .arg(QDir::toNativeSeparators(path)));
    if (!QFile::setPermissions(path, kOwnerOnlyDir))
        return Status::failure(QObject::tr("Could not make the folder %1 private (mode 0700).")
                                   .arg(QDir::toNativeSeparators(path)));
    return Status::success();
}

Status write(const QString &path, const QByteArray &data)
{
    if (const Status dirStatus = ensureDirectory(QFileInfo(path).absolutePath()); !dirStatus)
        return dirStatus;

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    // Restrict the temporary file before any byte lands in it.
    file.setPermissions(kOwnerOnlyFile);
    if (file.write(data) != data.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Status::failure(QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), reason));
    }
    if (!file.commit())
        return Status::failure(QObject::tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    return Status::success();
}

QString backup(const QString &path, const QString &suffix)
{
    QString target = path + QLatin1Char('.') + suffix;
    if (QFileInfo::exists(target)) {
        const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
        target = path + QLatin1Char('.') + stamp + QLatin1Char('.') + suffix;
    }
    if (!QFile::copy(path, target))
        return {};
    QFile::setPermissions(target, kOwnerOnlyFile);
    return target;
}

} // namespace vibeml::privatefiles

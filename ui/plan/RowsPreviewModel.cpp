#include "plan/RowsPreviewModel.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace vibeml {
namespace {

constexpr int kDisplayLimit = 160;
constexpr int kToolTipLimit = 2000;

QString cut(QString text, int limit)
{
    if (text.size() > limit)
        text = text.left(limit - 1) + QChar(0x2026);
    return text;
}

} // namespace

RowsPreviewModel::RowsPreviewModel(QObject *parent) : QAbstractTableModel(parent) {}

void RowsPreviewModel::setRows(const QList<hub::DatasetColumn> &columns, const QList<QJsonObject> &rows)
{
    beginResetModel();
    m_columns.clear();
    m_types.clear();
    for (const hub::DatasetColumn &column : columns) {
        m_columns.append(column.name);
        m_types.append(column.type.describe());
    }
    // Rows may carry keys the feature list did not mention (card fall-back): show those too.
    for (const QJsonObject &row : rows) {
        for (auto it = row.begin(); it != row.end(); ++it) {
            if (!m_columns.contains(it.key())) {
                m_columns.append(it.key());
                m_types.append(QString());
            }
        }
    }
    m_rows = rows;
    endResetModel();
}

void RowsPreviewModel::clear()
{
    setRows({}, {});
}

QString RowsPreviewModel::cellText(const QJsonValue &value, int limit)
{
    QString text;
    switch (value.type()) {
    case QJsonValue::String:
        text = value.toString();
        break;
    case QJsonValue::Double:
        text = QString::number(value.toDouble(), 'g', 12);
        break;
    case QJsonValue::Bool:
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case QJsonValue::Array:
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Object:
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    }
    // One line per cell: newlines inside texts become a visible mark.
    text.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    return cut(text, limit);
}

int RowsPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RowsPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant RowsPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonValue value = m_rows.at(index.row()).value(m_columns.at(index.column()));
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return cellText(value, kDisplayLimit);
    case Qt::ToolTipRole:
        return cellText(value, kToolTipLimit);
    default:
        return {};
    }
}

QVariant RowsPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && section >= 0 && section < m_columns.size()) {
        if (role == Qt::DisplayRole)
            return m_columns.at(section);
        if (role == Qt::ToolTipRole)
            return m_types.at(section);
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace vibeml

#pragma once

#include "hub/HubTypes.h"

#include <QAbstractTableModel>
#include <QJsonObject>

namespace vibeml {

// The first rows of a dataset split, as the dataset viewer returned them: one column per
// feature, nested values (chat messages, lists) shown as compact JSON. Long cells are cut for
// display; the tooltip holds more.
class RowsPreviewModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    explicit RowsPreviewModel(QObject *parent = nullptr);

    void setRows(const QList<hub::DatasetColumn> &columns, const QList<QJsonObject> &rows);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString cellText(const QJsonValue &value, int limit);

private:
    QStringList m_columns;
    QStringList m_types;
    QList<QJsonObject> m_rows;
};

} // namespace vibeml

#pragma once

#include "hub/DatasetFormat.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;

namespace vibeml {

// Which columns of a dataset play which part in training: the layout (chat, instruction,
// prompt/completion, plain text) and one combo box per role, filled with the dataset's columns.
// Problems with an edited mapping (a role left empty, a list column where text is needed) are
// shown as you choose, in core's words.
class ColumnMappingEditor : public QWidget
{
    Q_OBJECT

public:
    explicit ColumnMappingEditor(QWidget *parent = nullptr);

    // Shows `mapping` over `columns` without emitting mappingEdited().
    void setMapping(const QList<hub::DatasetColumn> &columns, const hub::ColumnMapping &mapping);
    hub::ColumnMapping mapping() const;
    // Why the current mapping cannot be used; empty when it can.
    QString problem() const;

    QComboBox *formatBox() const { return m_format; }
    QComboBox *roleBox(const QString &role) const; // "messages", "instruction", "output", "text", …

Q_SIGNALS:
    void mappingEdited(const vibeml::hub::ColumnMapping &mapping);

private:
    struct Role
    {
        QString key;
        hub::DataFormat format;
        QComboBox *box;
        bool optional;
        bool keyInsideMessages; // role / content keys of chat messages, not columns
    };
    void addRole(const QString &key, hub::DataFormat format, const QString &label, bool optional = false,
                 bool keyInsideMessages = false);
    void showRolesOf(hub::DataFormat format);
    void fillDefaults(hub::DataFormat format);
    void edited();
    void setBoxValue(QComboBox *box, const QString &value);

    QComboBox *m_format;
    QFormLayout *m_form;
    QLabel *m_problem;
    QList<Role> m_roles;
    QList<hub::DatasetColumn> m_columns;
    bool m_updating = false;
};

} // namespace vibeml

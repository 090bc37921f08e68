#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace vibeml {

class LogBus;
class LogEntryModel;
class LogFilterModel;
struct LogEntry;

// The application's log, live: filter by level and text, follow the newest entry, open the
// folder with the full rotating log files.
class LogPage : public QWidget
{
    Q_OBJECT

public:
    LogPage(LogBus *bus, QString logDirectory, QWidget *parent = nullptr);

    LogEntryModel *model() const { return m_model; }
    LogFilterModel *filterModel() const { return m_filter; }

private:
    void appendFollowing(const LogEntry &entry);

    LogEntryModel *m_model;
    LogFilterModel *m_filter;
    QTableView *m_view;
    QComboBox *m_levelBox;
    QLineEdit *m_searchEdit;
    QString m_logDirectory;
};

} // namespace vibeml

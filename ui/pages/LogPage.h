#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace vibeml {

class LogEntryModel;
class LogFilterModel;
struct LogEntry;

// The application's log, live: filter by level and text, follow the newest entry, open the
// folder with the full rotating log files. The entries are kept by the window from the start
// (`entries`, not owned), so the page can be built when it is first needed.
class LogPage : public QWidget
{
    Q_OBJECT

public:
    LogPage(LogEntryModel *entries, QString logDirectory, QWidget *parent = nullptr);

    LogEntryModel *model() const { return m_model; }
    LogFilterModel *filterModel() const { return m_filter; }

    // Adds `entry` to the entries, keeping the newest in view when it was.
    void appendFollowing(const LogEntry &entry);

private:
    LogEntryModel *m_model;
    LogFilterModel *m_filter;
    QTableView *m_view;
    QComboBox *m_levelBox;
    QLineEdit *m_searchEdit;
    QString m_logDirectory;
};

} // namespace vibeml

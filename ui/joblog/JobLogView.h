#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QToolButton;

namespace vibeml {

class JobLogModel;
class LogLineDelegate;

// The live log of one job: follows the tail while you are at the bottom, stays put when you
// scroll up (with a "Jump to end" button to resume), renders the program's colours, searches
// (Ctrl+F, F3 / Shift+F3) with every match highlighted, jumps to the first error, copies the
// selected lines (Ctrl+C) and saves the whole log from disk — not just the retained scrollback.
class JobLogView : public QWidget
{
    Q_OBJECT

public:
    explicit JobLogView(QWidget *parent = nullptr);
    ~JobLogView() override;

    void setModel(JobLogModel *model);
    JobLogModel *model() const { return m_model; }
    QListView *listView() const { return m_list; }

    // The log file on disk that Save exports; empty disables saving.
    void setLogFilePath(const QString &path);
    QString logFilePath() const { return m_logFilePath; }

    bool isFollowing() const { return m_following; }
    QString searchText() const;
    QString statusText() const;

public Q_SLOTS:
    void jumpToEnd();
    void openSearch();
    void closeSearch();
    void setSearchText(const QString &text);
    bool findNext();
    bool findPrevious();
    bool jumpToFirstError();
    void copySelection();
    void saveAs();                        // asks where, without blocking the window
    void saveTo(const QString &target);   // exports on a worker thread; saveFinished() reports

Q_SIGNALS:
    void followingChanged(bool following);
    void saveFinished(bool saved, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setFollowing(bool following);
    void scrollToBottomQuietly();
    void onScrolled(int value);
    void onRowsRemoved(int first, int last);
    bool find(bool forward, bool includeCurrent = false);
    void showRow(int row);
    void applySearchTerm();
    void updateStatus();
    void updateErrorButton();
    void applyPalette();

    JobLogModel *m_model = nullptr;
    QListView *m_list = nullptr;
    LogLineDelegate *m_delegate = nullptr;
    QWidget *m_searchBar = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QCheckBox *m_matchCase = nullptr;
    QLabel *m_searchStatus = nullptr;
    QToolButton *m_errorButton = nullptr;
    QToolButton *m_saveButton = nullptr;
    QToolButton *m_jumpButton = nullptr;
    QLabel *m_status = nullptr;
    QTimer m_searchDelay;
    QString m_logFilePath;
    bool m_following = true;
    bool m_scrolling = false; // our own scroll-bar changes, not the user's
    bool m_saving = false;
};

} // namespace vibeml

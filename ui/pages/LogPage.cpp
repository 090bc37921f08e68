#include "pages/LogPage.h"

#include "models/LogEntryModel.h"
#include "models/LogFilterModel.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace vibeml {

LogPage::LogPage(LogEntryModel *entries, QString logDirectory, QWidget *parent)
    : QWidget(parent), m_model(entries), m_filter(new LogFilterModel(this)),
      m_view(new QTableView(this)), m_levelBox(new QComboBox(this)), m_searchEdit(new QLineEdit(this)),
      m_logDirectory(std::move(logDirectory))
{
    setAccessibleName(tr("Application log"));
    m_filter->setSourceModel(m_model);

    for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error})
        m_levelBox->addItem(LogEntryModel::levelName(level), static_cast<int>(level));
    m_levelBox->setCurrentIndex(1);
    m_levelBox->setAccessibleName(tr("Minimum level"));
    connect(m_levelBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_filter->setMinimumLevel(static_cast<LogLevel>(m_levelBox->itemData(index).toInt()));
    });

    m_searchEdit->setPlaceholderText(tr("Filter messages"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->setAccessibleName(tr("Filter messages"));
    connect(m_searchEdit, &QLineEdit::textChanged, m_filter, &LogFilterModel::setFilterFixedString);

    auto *levelLabel = new QLabel(tr("&Show:"), this);
    levelLabel->setBuddy(m_levelBox);
    auto *openFolder = new QPushButton(tr("Open log &folder"), this);
    openFolder->setEnabled(!m_logDirectory.isEmpty());
    openFolder->setToolTip(m_logDirectory);
    connect(openFolder, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_logDirectory)); });
    auto *clear = new QPushButton(tr("C&lear"), this);
    connect(clear, &QPushButton::clicked, m_model, &LogEntryModel::clear);

    m_view->setModel(m_filter);
    m_view->setAccessibleName(tr("Log entries"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setSectionResizeMode(LogEntryModel::MessageColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(LogEntryModel::TimeColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(LogEntryModel::LevelColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(LogEntryModel::AreaColumn, QHeaderView::ResizeToContents);

    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(levelLabel);
    toolbar->addWidget(m_levelBox);
    toolbar->addWidget(m_searchEdit, 1);
    toolbar->addWidget(openFolder);
    toolbar->addWidget(clear);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addWidget(m_view, 1);

    m_view->scrollToBottom();
}

void LogPage::appendFollowing(const LogEntry &entry)
{
    QScrollBar *bar = m_view->verticalScrollBar();
    const bool atBottom = bar->value() == bar->maximum();
    m_model->append(entry);
    if (atBottom)
        m_view->scrollToBottom();
}

} // namespace vibeml

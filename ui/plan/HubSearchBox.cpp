#include "plan/HubSearchBox.h"

#include "config/Settings.h"
#include "hub/RepoId.h"
#include "plan/HubSearchModel.h"
#include "plan/RecentPicks.h"
#include "widgets/MeasuredHeaderView.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace vibeml {
namespace {

SettingKey recentKey(hub::RepoKind kind)
{
    return kind == hub::RepoKind::Model ? SettingKey::RecentModels : SettingKey::RecentDatasets;
}

} // namespace

HubSearchBox::HubSearchBox(hub::HubClient &client, hub::RepoKind kind, Settings *settings,
                           const hub::OfflineSnapshot *snapshot, QWidget *parent)
    : QWidget(parent), m_kind(kind), m_settings(settings), m_model(new HubSearchModel(client, kind, snapshot, this)),
      m_proxy(new QSortFilterProxyModel(this)), m_field(new QLineEdit(this)), m_status(new QLabel(this)),
      m_view(new QTableView(this)), m_use(new QPushButton(tr("&Use"), this))
{
    const bool models = kind == hub::RepoKind::Model;
    m_field->setPlaceholderText(models ? tr("Search models, or type an id such as Qwen/Qwen2.5-0.5B-Instruct")
                                       : tr("Search datasets, or type an id such as HuggingFaceH4/ultrachat_200k"));
    m_field->setAccessibleName(models ? tr("Search models") : tr("Search datasets"));
    m_field->setClearButtonEnabled(true);
    m_field->installEventFilter(this);
    auto *label = new QLabel(models ? tr("&Model:") : tr("&Dataset:"), this);
    label->setBuddy(m_field);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Search status"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(HubSearchModel::SortRole);
    MeasuredHeaderView::installHorizontal(m_view); // measures its titles once, not at every layout pass
    m_view->setModel(m_proxy);
    m_view->setAccessibleName(models ? tr("Model search results") : tr("Dataset search results"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // the Hub's order (most downloaded first) until a header is clicked
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(HubSearchModel::IdColumn, QHeaderView::Stretch);
    if (!models)
        m_view->hideColumn(HubSearchModel::SizeColumn);
    m_use->setAccessibleName(models ? tr("Use the selected model") : tr("Use the selected dataset"));
    m_use->setEnabled(false);

    auto *fieldRow = new QHBoxLayout;
    fieldRow->addWidget(label);
    fieldRow->addWidget(m_field, 1);
    fieldRow->addWidget(m_use);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(fieldRow);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    setFocusProxy(m_field);

    if (m_settings)
        m_model->setRecent(recentpicks::load(*m_settings, recentKey(kind)));
    connect(m_field, &QLineEdit::textEdited, m_model, &HubSearchModel::setQuery);
    connect(m_field, &QLineEdit::returnPressed, this, &HubSearchBox::onReturn);
    connect(m_model, &HubSearchModel::statusChanged, m_status, &QLabel::setText);
    connect(m_view, &QAbstractItemView::activated, this, &HubSearchBox::chooseCurrent);
    connect(m_use, &QPushButton::clicked, this, &HubSearchBox::chooseCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_use->setEnabled(current.isValid()); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_use->setEnabled(m_view->currentIndex().isValid()); });
    m_status->setText(m_model->statusText());
}

void HubSearchBox::remember(const QString &id)
{
    if (m_settings)
        m_model->setRecent(recentpicks::remember(*m_settings, recentKey(m_kind), id));
}

void HubSearchBox::onReturn()
{
    const QString text = m_field->text().trimmed();
    // A full id is used as typed: search finds popular repos, not necessarily the one meant.
    if (text.contains(QLatin1Char('/')) && hub::isValidRepoId(text)) {
        Q_EMIT chosen(text);
        return;
    }
    if (!text.isEmpty()) {
        m_model->setQuery(text);
        m_model->searchNow();
    } else if (m_proxy->rowCount() > 0) {
        m_view->setFocus(Qt::TabFocusReason);
        m_view->setCurrentIndex(m_proxy->index(0, 0));
    }
}

void HubSearchBox::chooseCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const QString id = current.data(HubSearchModel::IdRole).toString();
    if (!id.isEmpty())
        Q_EMIT chosen(id);
}

bool HubSearchBox::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down && m_proxy->rowCount() > 0) {
            m_view->setFocus(Qt::TabFocusReason);
            if (!m_view->currentIndex().isValid())
                m_view->setCurrentIndex(m_proxy->index(0, 0));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace vibeml

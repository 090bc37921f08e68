#pragma once

#include "hub/DatasetValidator.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QGroupBox;
class QLabel;
class QTableView;

namespace vibeml {

class ColumnMappingEditor;
class HubSearchBox;
class RowsPreviewModel;
class Settings;
namespace hub {
class OfflineSnapshot;
}

// Step two of a plan: find a dataset and see what training would read from it. Choosing one runs
// DatasetValidator; the card shows the configs, splits, rows and size, the detected layout with
// an editable column mapping, the checks, and a preview of the first rows. Changing the config,
// split or mapping checks the dataset again with the new choice.
class DatasetPicker : public QWidget
{
    Q_OBJECT

public:
    DatasetPicker(hub::HubClient &client, Settings *settings, const hub::OfflineSnapshot *snapshot, QWidget *parent = nullptr);

    void choose(const QString &id);
    bool isValidating() const { return m_validator.isRunning(); }
    const std::optional<hub::DatasetReport> &report() const { return m_report; }

    HubSearchBox *searchBox() const { return m_search; }
    ColumnMappingEditor *mappingEditor() const { return m_mapping; }
    RowsPreviewModel *previewModel() const { return m_preview; }
    QTableView *previewView() const { return m_previewView; }
    QComboBox *configBox() const { return m_config; }
    QComboBox *splitBox() const { return m_split; }
    QLabel *checksLabel() const { return m_checks; }
    QLabel *factsLabel() const { return m_facts; }

Q_SIGNALS:
    void validationStarted(const QString &id);
    void datasetChosen(const vibeml::hub::DatasetReport &report);

protected:
    void changeEvent(QEvent *event) override;

private:
    void validate();
    void showReport();
    void fillConfigAndSplit();

    hub::DatasetValidator m_validator;
    hub::DatasetRequest m_request;
    HubSearchBox *m_search;
    QGroupBox *m_card;
    QLabel *m_title;
    QLabel *m_facts;
    QComboBox *m_config;
    QComboBox *m_split;
    ColumnMappingEditor *m_mapping;
    QLabel *m_checks;
    RowsPreviewModel *m_preview;
    QTableView *m_previewView;
    std::optional<hub::DatasetReport> m_report;
    bool m_updating = false;
};

} // namespace vibeml

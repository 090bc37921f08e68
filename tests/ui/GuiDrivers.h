#pragma once

// Drives the window the way a person does — typing, clicking, confirming — for the GUI tests.
#include "catalog/Catalog.h"
#include "pages/PlanPage.h"
#include "plan/DatasetPicker.h"
#include "plan/GpuOffersModel.h"
#include "plan/HubSearchBox.h"
#include "plan/HubSearchModel.h"
#include "plan/ModelPicker.h"

#include "TestSupport.h"

#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

namespace vibeml::test {

// The catalogs compiled into VibeML (no ~/.sky catalogs), loaded once.
inline const catalog::Catalog &bundledCatalog()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(isolatedRoot() + QStringLiteral("/no-sky-catalogs"));
    return catalog;
}

inline void typeAndEnter(QLineEdit *field, const QString &text)
{
    field->setFocus();
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Return);
}

// Plan steps 1 and 2 by keyboard, against the fake Hub: a model id typed in full, a dataset found
// by searching "ultrachat".
inline bool pickModelAndDataset(PlanPage &page)
{
    QSignalSpy modelChosen(page.modelPicker(), &ModelPicker::modelChosen);
    typeAndEnter(page.modelPicker()->searchBox()->field(), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
    if (!modelChosen.wait(10000))
        return false;
    QTest::mouseClick(page.nextButton(), Qt::LeftButton);
    if (page.currentStep() != PlanPage::Step::Dataset)
        return false;
    QSignalSpy searched(page.datasetPicker()->searchBox()->model(), &HubSearchModel::searchFinished);
    QSignalSpy datasetChosen(page.datasetPicker(), &DatasetPicker::datasetChosen);
    QLineEdit *field = page.datasetPicker()->searchBox()->field();
    field->setFocus();
    QTest::keyClicks(field, QStringLiteral("ultrachat"));
    if (!searched.wait(5000))
        return false;
    QTest::keyClick(field, Qt::Key_Down);
    QTest::keyClick(page.datasetPicker()->searchBox()->view(), Qt::Key_Return);
    return datasetChosen.wait(10000);
}

// The GPU panel's row for `gpu` ("H100 × 1"), spot or on-demand.
inline QModelIndex findOffer(QTableView *view, const QString &gpu, bool spot)
{
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, GpuOffersModel::GpuColumn);
        if (index.data().toString() == gpu && index.data(GpuOffersModel::SpotRole).toBool() == spot)
            return index;
    }
    return {};
}

// Clicks the accept button of the confirmation called `name` that `parent` shows.
inline bool acceptConfirmation(QWidget &parent, const QString &name)
{
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor(
            [&] {
                box = parent.findChild<QMessageBox *>(name);
                return box && box->isVisible();
            },
            5000))
        return false;
    auto *yes = box->findChild<QPushButton *>(QStringLiteral("yes"));
    if (!yes)
        return false;
    QTest::mouseClick(yes, Qt::LeftButton);
    return true;
}

} // namespace vibeml::test

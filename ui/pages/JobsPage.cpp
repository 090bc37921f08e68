#include "pages/JobsPage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace vibeml {

JobsPage::JobsPage(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Jobs"));
    auto *empty = new QLabel(tr("<h2>No runs yet</h2>"
                                "<p>Every run you launch appears here with its state, its cost so far and its "
                                "cluster, even after VibeML is closed and opened again. VibeML tears each cluster "
                                "down when its run ends, because Nebius cannot do that by itself.</p>"),
                             this);
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setTextFormat(Qt::RichText);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(empty);
    layout->addStretch(2);
}

} // namespace vibeml

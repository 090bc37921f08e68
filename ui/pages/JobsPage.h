#pragma once

#include <QWidget>

namespace vibeml {

// Every run VibeML has launched, with its state and cost, kept across restarts.
class JobsPage : public QWidget
{
    Q_OBJECT

public:
    explicit JobsPage(QWidget *parent = nullptr);
};

} // namespace vibeml

#pragma once

#include <QtGlobal>

#include <chrono>
#include <functional>

class QWidget;

namespace vibeml {

// Runs `work` once, on the event-loop turn after `window` painted for the first time, so that
// start-up work the first frame does not show (opening the journal, building hidden pages,
// starting `sky` checks) never delays that frame. A window that is not painted within `fallback`
// (never shown, or started hidden) gets the work then. Nothing runs if the window is destroyed
// first. Asked after such a paint was seen, the work runs on the next event-loop turn.
void runAfterFirstPaint(QWidget *window, std::function<void()> work,
                        std::chrono::milliseconds fallback = std::chrono::milliseconds(1000));

} // namespace vibeml

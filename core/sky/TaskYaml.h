#pragma once

#include "sky/TaskSpec.h"

#include <QByteArray>

namespace vibeml::sky {

// The task as SkyPilot YAML, produced by yaml-cpp's emitter: every string is quoted or escaped
// by the emitter, never pasted into a template. Keys come out in a fixed, readable order.
QByteArray toYaml(const TaskSpec &task);

} // namespace vibeml::sky

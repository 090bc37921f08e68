#pragma once

#include "hub/HubTypes.h"

#include <QString>

namespace vibeml::hub {

class OfflineSnapshot;

// Search-as-you-type without the Hub: the snapshot's models or datasets whose id contains every
// word of `query` (case-insensitive), most downloaded first, at most `limit`. An empty query
// lists them all. The hits carry what the snapshot knows (downloads, likes, gated, licence and,
// for models, the parameter count).
SearchPage searchSnapshot(const OfflineSnapshot &snapshot, RepoKind kind, const QString &query, int limit = 50);

} // namespace vibeml::hub

#pragma once

#include "hub/HubParsers.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1String>

#include <optional>

// Internal to the dataset parsers: reads a datasets `Features` type in either of its two JSON
// spellings. Depth is counted so that a hostile card cannot make the recursion (or describe(), or
// the destructor) run off the stack: past kMaxFeatureDepth the reader records the failure and the
// caller refuses the whole document.
namespace vibeml::hub::detail {

class FeatureReader
{
public:
    // Card (README YAML) spelling: "string", {"dtype": "string"}, {"dtype": {"class_label": …}},
    // {"list"|"sequence"|"large_list": …}, {"struct": [fields]}, {"class_label": {"names": …}},
    // or a list of {name, …} fields (a struct). A column's own type is at depth 1.
    FeatureType fromCard(const QJsonValue &node, int depth);

    // Viewer spelling: {"dtype": "string", "_type": "Value"}, {"feature": …, "_type": "List"}
    // (or "Sequence", "LargeList"), {"names": […], "_type": "ClassLabel"}, {"_type": "Image"},
    // {"_type": "Audio"}, a dict of fields (a struct) or, from old datasets, [feature] (a list).
    FeatureType fromViewer(const QJsonValue &node, int depth);

    // Set once any type nested deeper than kMaxFeatureDepth; `what` names the document.
    std::optional<ParseError> error(QLatin1String what) const;

private:
    bool enter(int depth);
    FeatureType cardStruct(const QJsonArray &fields, int depth);

    bool m_tooDeep = false;
};

} // namespace vibeml::hub::detail

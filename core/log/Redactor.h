#pragma once

#include <QString>

#include <string>
#include <string_view>

// Masks secrets in text before it reaches any log sink: Hugging Face tokens (hf_…), SkyPilot
// service-account tokens (sky_…), Authorization/Bearer values, NAME_TOKEN=/NAME_KEY=/
// NAME_SECRET=/NAME_PASSWORD= values, JSON fields such as "api_key", passwords in URLs, and
// PEM private-key blocks.
namespace vibeml::redaction {

inline constexpr char kMask[] = "[REDACTED]";

// Cheap pre-check: false means the text certainly holds nothing redact() would change.
bool mightContainSecret(std::string_view utf8);

QString redact(const QString &text);
std::string redact(std::string_view utf8);

} // namespace vibeml::redaction

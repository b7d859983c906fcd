// The host's one JSON type. Kept in one header so no TU includes nlohmann differently.
#pragma once

#include <nlohmann/json.hpp>

namespace clipdex {
using json = nlohmann::json;

/// Serialises without throwing on invalid UTF-8 (replaced by U+FFFD): plugin and file data is untrusted.
inline std::string dumpJson(const json& value, int indent = -1) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}
}  // namespace clipdex

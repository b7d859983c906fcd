// Logging setup. Everything logs through spdlog to stderr, so stdout stays clean for --format json.
#pragma once

#include <string>

namespace clipdex::log {

/// Configures the default logger. level: trace|debug|info|warn|error|off; CLIPDEX_LOG overrides it.
/// Throws std::invalid_argument for an unknown level name.
void setup(const std::string& level);

}  // namespace clipdex::log

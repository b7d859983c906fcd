// The host configuration file (JSON): host settings plus one section per plugin under "plugins".
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "core/json.hpp"

namespace clipdex {

class Config {
public:
    /// Reads `path`, or $CLIPDEX_CONFIG, or <config dir>/config.json when it exists; otherwise empty.
    /// Throws std::runtime_error naming the file when it exists but is not a JSON object.
    static Config load(const std::optional<std::filesystem::path>& path);

    explicit Config(json document = json::object()) : document_(std::move(document)) {}
    /// The plugin's section, or an empty object.
    json pluginSection(std::string_view plugin_id) const;
    /// A host setting by JSON pointer ("/catalog"), or null.
    json value(const std::string& pointer) const;

private:
    json document_;
};

}  // namespace clipdex

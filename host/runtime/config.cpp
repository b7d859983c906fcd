#include "runtime/config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/paths.hpp"

namespace clipdex {

Config Config::load(const std::optional<std::filesystem::path>& path) {
    std::filesystem::path file;
    bool explicit_file = true;
    if (path) {
        file = *path;
    } else if (const char* env = std::getenv("CLIPDEX_CONFIG"); env != nullptr && env[0] != '\0') {
        file = env;
    } else {
        file = paths::configDir() / "config.json";
        explicit_file = false;
    }
    std::ifstream stream(file);
    if (!stream) {
        if (explicit_file) throw std::runtime_error("config file " + file.string() + " cannot be read; check the path");
        return Config();
    }
    std::stringstream text;
    text << stream.rdbuf();
    json document = json::parse(text.str(), nullptr, false);
    if (document.is_discarded() || !document.is_object())
        throw std::runtime_error("config file " + file.string() + " is not a JSON object; fix or remove it");
    return Config(std::move(document));
}

json Config::pluginSection(std::string_view plugin_id) const {
    const auto plugins = document_.find("plugins");
    if (plugins == document_.end() || !plugins->is_object()) return json::object();
    const auto section = plugins->find(std::string(plugin_id));
    return section == plugins->end() ? json::object() : *section;
}

json Config::value(const std::string& pointer) const {
    const json::json_pointer where(pointer);
    return document_.contains(where) ? document_.at(where) : json();
}

}  // namespace clipdex

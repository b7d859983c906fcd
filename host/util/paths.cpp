#include "util/paths.hpp"

#include <cstdlib>
#include <string>

namespace clipdex::paths {
namespace {

std::filesystem::path xdg(const char* variable, const char* fallback_under_home) {
    const char* value = std::getenv(variable);
    if (value != nullptr && value[0] == '/') return std::filesystem::path(value) / "clipdex";
    const char* home = std::getenv("HOME");
    const std::filesystem::path base = (home != nullptr && home[0] != '\0') ? home : "/tmp";
    return base / fallback_under_home / "clipdex";
}

}  // namespace

std::filesystem::path dataDir() {
    return xdg("XDG_DATA_HOME", ".local/share");
}
std::filesystem::path configDir() {
    return xdg("XDG_CONFIG_HOME", ".config");
}
std::filesystem::path stateDir() {
    return xdg("XDG_STATE_HOME", ".local/state");
}
std::filesystem::path defaultCatalogPath() {
    return dataDir() / "catalog.db";
}

std::filesystem::path executableDir() {
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::current_path() : exe.parent_path();
}

std::vector<std::filesystem::path> bundledPluginDirs() {
    return {(executableDir() / ".." / "lib" / "clipdex" / "plugins").lexically_normal()};
}

std::vector<std::filesystem::path> splitPathList(const char* list) {
    std::vector<std::filesystem::path> dirs;
    if (list == nullptr) return dirs;
    const std::string text = list;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t colon = std::min(text.find(':', start), text.size());
        if (colon > start) dirs.emplace_back(text.substr(start, colon - start));
        start = colon + 1;
    }
    return dirs;
}

}  // namespace clipdex::paths

// Where clipdex keeps things, following the XDG base directory specification.
#pragma once

#include <filesystem>
#include <vector>

namespace clipdex::paths {

/// $XDG_DATA_HOME/clipdex (default ~/.local/share/clipdex): catalog, thumbnails.
std::filesystem::path dataDir();
/// $XDG_CONFIG_HOME/clipdex (default ~/.config/clipdex): config.json, CLI session.
std::filesystem::path configDir();
/// $XDG_STATE_HOME/clipdex (default ~/.local/state/clipdex): per-plugin state, logs.
std::filesystem::path stateDir();
/// The catalog file used when neither --catalog nor CLIPDEX_CATALOG is given.
std::filesystem::path defaultCatalogPath();
/// The directory holding the running executable.
std::filesystem::path executableDir();
/// Plugin directories that need no flag: <exe dir>/../lib/clipdex/plugins (build tree and install prefix).
std::vector<std::filesystem::path> bundledPluginDirs();
/// Directories from a ':'-separated list such as CLIPDEX_PLUGIN_PATH; empty entries are skipped.
std::vector<std::filesystem::path> splitPathList(const char* list);

}  // namespace clipdex::paths

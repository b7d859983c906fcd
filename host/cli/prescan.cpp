// preScan runs before any plugin is loaded, so it cannot know the command tree: it only picks out the
// global options and ignores everything else. CliRouter parses the same argv strictly afterwards.
#include <string_view>

#include "cli/cli_router.hpp"

namespace clipdex::cli {

GlobalOptions preScan(int argc, const char* const* argv) {
    GlobalOptions options;
    auto assign = [&options](std::string_view name, std::string value) {
        if (name == "--plugin-dir")
            options.plugin_dirs.emplace_back(std::move(value));
        else if (name == "--catalog")
            options.catalog = std::move(value);
        else if (name == "--config-file")
            options.config_file = std::move(value);
        else if (name == "--log-level")
            options.log_level = std::move(value);
    };
    auto known = [](std::string_view name) {
        return name == "--plugin-dir" || name == "--catalog" || name == "--config-file" || name == "--log-level";
    };

    for (int i = 1; i < argc && argv != nullptr; ++i) {
        if (argv[i] == nullptr) break;
        const std::string_view arg = argv[i];
        if (arg == "--") break;  // everything after is a positional value, even if it looks like an option
        const std::size_t equals = arg.find('=');
        if (equals != std::string_view::npos) {
            if (known(arg.substr(0, equals))) assign(arg.substr(0, equals), std::string(arg.substr(equals + 1)));
        } else if (known(arg) && i + 1 < argc && argv[i + 1] != nullptr) {
            // Like CLI11, the next word is the value whatever it looks like.
            assign(arg, argv[++i]);
        }
    }
    return options;
}

}  // namespace clipdex::cli

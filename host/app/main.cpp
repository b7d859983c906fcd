// clipdex: load plugins, build the command tree from their declarations, run what argv asks for.
#include <unistd.h>

#include <iostream>

#include "auth/cli_session.hpp"
#include "cli/cli_router.hpp"
#include "core/status.hpp"
#include "runtime/runtime.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
    using namespace clipdex;
    const cli::GlobalOptions global = cli::preScan(argc, argv);
    try {
        log::setup(global.log_level);
    } catch (const std::invalid_argument& error) {
        std::cerr << "error: " << error.what() << "\n";
        return kExitUsage;
    }
    try {
        RuntimeOptions options;
        options.plugin_dirs = global.plugin_dirs;
        options.catalog = global.catalog;
        options.config_file = global.config_file;
        Runtime runtime(std::move(options));
        cli::CliRouter router("clipdex", CLIPDEX_VERSION, runtime.registry().commands());
        // Groups have no declaration of their own; these are the original tool's group descriptions.
        router.describeGroup({"plugins"}, "Inspect loaded and refused plugins");
        router.describeGroup({"search"}, "Search and discovery commands");
        router.describeGroup({"clip"}, "Individual clip operations");
        router.describeGroup({"auth"}, "Authentication commands");
        router.setCallerHooks(cli::CallerHooks{
            [&runtime](const CommandDecl& decl) {
                return runtime.identity().principalFor(decl, auth::loadCliSession(), auth::Caller{"cli", ""});
            },
            [](const CommandDecl& decl, json& result) {
                if (decl.session == "set" && result.is_object() && result.contains("session")) {
                    auth::saveCliSession(result["session"]);
                    result["session"].erase("token");  // kept in the session file, not printed
                } else if (decl.session == "clear") {
                    auth::clearCliSession();
                }
            }});
        cli::Terminal terminal{std::cin, std::cout, std::cerr, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1};
        return router.run(argc, argv, terminal);
    } catch (const std::exception& error) {
        std::cerr << "error: " << error.what() << "\n";
        return kExitFailure;
    }
}

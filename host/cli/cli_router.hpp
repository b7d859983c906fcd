// The `clipdex` command tree, generated at runtime from command declarations (CLI11 underneath).
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/command.hpp"

namespace clipdex::cli {

/// How the CLI learns who is calling and keeps login sessions (wired by main to auth/identity.hpp).
struct CallerHooks {
    /// The principal JSON for a call of `decl`; throws CommandError to refuse the call.
    std::function<std::string(const CommandDecl&)> principal_for;
    /// After a successful call: keep or forget the session the command declared; may trim `result` (the token
    /// is stored, not printed).
    std::function<void(const CommandDecl&, json& result)> after_success;
};

/// Options that matter before plugins load, so they are read from argv first.
struct GlobalOptions {
    std::vector<std::filesystem::path> plugin_dirs;    // --plugin-dir DIR (repeatable)
    std::optional<std::string> catalog;                // --catalog PATH
    std::optional<std::filesystem::path> config_file;  // --config-file PATH
    std::string log_level = "warn";                    // --log-level trace|debug|info|warn|error|off
};

/// Reads the global options from argv without failing on anything else (CliRouter parses fully later).
GlobalOptions preScan(int argc, const char* const* argv);

/// Standard streams and whether they are terminals; tests pass string streams.
struct Terminal {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
    bool stdin_is_tty = false;
    bool stdout_is_tty = false;
    int tty_fd = 0;  // the terminal whose echo hidden prompts turn off (a pty's slave in tests)
};

class CliRouter {
public:
    CliRouter(std::string program, std::string version, std::vector<Command*> commands);
    ~CliRouter();
    /// Help text for a command group ("search" -> "Search and discovery commands"); groups have no declaration
    /// of their own, so without this their help lists the commands they hold.
    void describeGroup(const std::vector<std::string>& path, std::string summary);
    /// Identity and session handling for every command run (see CallerHooks).
    void setCallerHooks(CallerHooks hooks);
    /// Parses argv, prompts for missing x-prompt arguments, runs the command and prints its result.
    /// Returns 0 on success, 1 when the command failed, 2 for a usage error.
    int run(int argc, const char* const* argv, Terminal& terminal);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace clipdex::cli

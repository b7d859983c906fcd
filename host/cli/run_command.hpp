// Everything after CLI11 has parsed argv: prompting, validating, running and printing. Kept out of
// cli_router.cpp so that only one translation unit pays for the CLI11 headers.
#pragma once

#include <string>

#include "cli/cli_router.hpp"
#include "core/json.hpp"

namespace clipdex::cli {

struct ParsedCommand {
    Command* command = nullptr;
    std::string usage_path;       // "clipdex search recent", for "Run '… --help' for usage."
    json given = json::object();  // what the user typed, as text, by property name; defaults are not filled
    std::string format;           // the router's own --format: "table" or "json"; empty when the schema owns it
    const CallerHooks* caller = nullptr;
};

/// Prints a usage error on stderr (nothing on stdout) with a pointer to the command's help; returns kExitUsage.
int reportUsageError(Terminal& terminal, const std::string& message, const std::string& usage_path);

/// Prompts for missing x-prompt arguments, validates with the shared schema validator, runs the command
/// with Ctrl-C wired to its cancel token, and prints the outcome. Returns the process exit code.
int runParsedCommand(const ParsedCommand& parsed, Terminal& terminal);

}  // namespace clipdex::cli

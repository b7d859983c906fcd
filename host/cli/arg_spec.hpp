// How one argument-schema property appears on the command line. The CLI11 tree (cli_router.cpp) and the
// code that prompts and reports errors (run_command.cpp) both read it, so they spell arguments alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace clipdex::cli {

struct ArgSpec {
    std::string name;                     // property name: the key in the arguments object
    std::string type;                     // string, integer, number, boolean or array
    std::optional<std::size_t> position;  // x-cli-positional
    std::string long_name;                // "sort-order" (options only)
    std::string short_name;               // "l", or empty
    bool required = false;                // listed in the schema's "required"
    json property;                        // the schema property itself

    bool positional() const noexcept { return position.has_value(); }
    /// Booleans become a --x/--no-x flag pair; positional booleans stay plain values.
    bool flag() const noexcept { return type == "boolean" && !positional(); }
    bool repeatable() const noexcept { return type == "array"; }
    bool prompted() const { return property.contains("x-prompt") && property["x-prompt"].is_string(); }
    bool hidden() const { return property.value("x-hidden", false); }
    bool confirm() const { return property.value("x-confirm", false); }
    bool hasDefault() const { return property.contains("default") && !property["default"].is_null(); }

    /// How a user types it: "--limit" or "DIRECTORY".
    std::string spelling() const;
    /// Value placeholder for help: "INTEGER", "[asc|desc]", "TEXT,...". Empty for flags.
    std::string typeLabel() const;
    /// Description plus "[default: …]" and "[required]", the way Typer showed them.
    std::string helpText() const;
};

/// The CLI arguments of a schema: positionals in x-cli-positional order, then options by name.
/// x-http-only properties are left out.
std::vector<ArgSpec> cliArgs(const json& schema);

/// The spec for property `name`, or nullptr.
const ArgSpec* findArg(const std::vector<ArgSpec>& specs, std::string_view name);

/// Rewrites a validator message so it names the argument as typed ("'limit' must…" → "'--limit' must…").
std::string withCliSpelling(std::string message, const std::string& field, const std::vector<ArgSpec>& specs);

/// A value as plain text (strings unquoted), for help and tables.
std::string displayText(const json& value);

}  // namespace clipdex::cli

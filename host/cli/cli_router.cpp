// The only translation unit that includes CLI11 (about 6 s of compile time per TU): it builds the command
// tree from the declarations and parses argv; run_command.cpp does the rest without CLI11.
#include "cli/cli_router.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <map>
#include <set>

#include "cli/arg_spec.hpp"
#include "cli/run_command.hpp"
#include "core/status.hpp"

namespace clipdex::cli {
namespace {

/// Typer-style names in help ("-r, --recursive / --no-recursive") instead of CLI11's
/// "-r,--recursive,--no-recursive{false}".
class HelpFormatter : public CLI::Formatter {
public:
    std::string make_option_name(const CLI::Option* option, bool is_positional) const override {
        if (is_positional) return option->get_name(true, false);
        std::vector<std::string> names;
        for (const std::string& name : option->get_snames()) names.push_back("-" + name);
        const auto& longs = option->get_lnames();
        for (std::size_t i = 0; i < longs.size(); ++i) {
            if (i > 0 && longs[i] == "no-" + longs[i - 1])
                names.back() += " / --" + longs[i];
            else
                names.push_back("--" + longs[i]);
        }
        return CLI::detail::join(names, ", ");
    }
    // CLI11 separates option groups with two blank lines; one reads better.
    std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
        return CLI::detail::find_and_replace(CLI::Formatter::make_help(app, std::move(name), mode), "\n\n\n", "\n\n");
    }
};

/// A command's CLI11 subcommand and the options to read back after parsing.
struct Leaf {
    Command* command = nullptr;
    std::vector<ArgSpec> specs;
    std::vector<std::pair<std::size_t, CLI::Option*>> options;  // index into specs
    CLI::Option* format = nullptr;  // the router's own --format; nullptr when the schema owns "format"
};

struct Tree {
    std::unique_ptr<CLI::App> root;
    std::map<const CLI::App*, Leaf> leaves;
};

void addArguments(CLI::App& app, Leaf& leaf) {
    const CommandDecl& decl = leaf.command->decl();
    const auto owns_format = std::any_of(leaf.specs.begin(), leaf.specs.end(), [](const ArgSpec& spec) {
        return !spec.positional() && spec.long_name == "format";
    });
    std::set<std::string> shorts = {"h"};
    for (const ArgSpec& spec : leaf.specs) shorts.insert(spec.short_name);
    const bool f_free = shorts.count("f") == 0;

    shorts = {"h"};
    for (std::size_t i = 0; i < leaf.specs.size(); ++i) {
        ArgSpec& spec = leaf.specs[i];
        if (owns_format && spec.long_name == "format" && spec.short_name.empty() && f_free) spec.short_name = "f";
        if (!spec.short_name.empty() && !shorts.insert(spec.short_name).second) {
            spdlog::warn("command '{}': -{} is taken, so argument '{}' gets no short option", decl.id, spec.short_name,
                         spec.name);
            spec.short_name.clear();
        }
        const std::string names = (spec.short_name.empty() ? "" : "-" + spec.short_name + ",") + "--" + spec.long_name;
        try {
            CLI::Option* option = nullptr;
            if (spec.positional()) {
                option = app.add_option(spec.spelling())->description(spec.helpText())->type_name(spec.typeLabel());
                // Prompted arguments may be left out: they are asked for afterwards.
                if (spec.required && !spec.prompted() && !spec.hasDefault()) option->required();
                if (spec.repeatable()) option->expected(1, CLI::detail::expected_max_vector_size);
            } else if (spec.flag()) {
                // Both spellings, one option: the results keep argv order, so the last one given wins.
                option = app.add_flag(names + ",--no-" + spec.long_name + "{false}")->description(spec.helpText());
                option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
            } else {
                option = app.add_option(names)
                             ->description(spec.helpText())
                             ->type_name(spec.typeLabel())
                             ->allow_extra_args(false);
                option->multi_option_policy(spec.repeatable() ? CLI::MultiOptionPolicy::TakeAll
                                                              : CLI::MultiOptionPolicy::TakeLast);
            }
            leaf.options.emplace_back(i, option);
        } catch (const CLI::ConstructionError& error) {
            spdlog::warn("command '{}': argument '{}' is left off the command line: {}", decl.id, spec.name,
                         error.what());
        }
    }
    if (!owns_format) {
        leaf.format = app.add_option(f_free ? "-f,--format" : "--format",
                                     "Output format: table for people, json for scripts [default: table]")
                          ->type_name("[table|json]")
                          ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
}

std::string usagePath(const CLI::App* app) {
    std::string path;
    for (; app != nullptr; app = app->get_parent()) path = app->get_name() + (path.empty() ? "" : " " + path);
    return path;
}

const CLI::App* deepestSelected(const CLI::App* app) {
    while (!app->get_subcommands().empty()) app = app->get_subcommands().front();
    return app;
}

}  // namespace

struct CliRouter::Impl {
    std::string program;
    std::string version;
    std::vector<Command*> commands;
    std::map<std::vector<std::string>, std::string> group_summaries;
    CallerHooks caller;

    Tree build() const;
};

Tree CliRouter::Impl::build() const {
    Tree tree;
    tree.root = std::make_unique<CLI::App>("Plugin-based video ingest and catalog tool.", program);
    CLI::App& root = *tree.root;
    auto formatter = std::make_shared<HelpFormatter>();
    formatter->column_width(34);
    formatter->label("Positionals", "Arguments");
    formatter->label("SUBCOMMAND", "COMMAND");
    root.formatter(formatter);
    // Inherited by every subcommand created below: help flag, the "Commands" heading, and fallthrough, which
    // lets the global options appear after a subcommand too (clipdex search recent --catalog x).
    root.set_help_flag("-h,--help", "Show this message and exit");
    root.group("Commands");
    root.fallthrough();
    root.require_subcommand(1);
    root.set_version_flag("--version", program + " " + version, "Show the version and exit");
    const std::string global = "Global options";
    root.add_option("--plugin-dir", "Load plugins from DIR (repeatable)")
        ->type_name("DIR")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->group(global);
    root.add_option("--catalog", "Catalog to use: a SQLite file path or a postgresql:// URL")
        ->type_name("PATH")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->group(global);
    root.add_option("--config-file", "Configuration file")
        ->type_name("PATH")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->group(global);
    const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
    root.add_option("--log-level", "Log verbosity on stderr [default: warn]")
        ->type_name("[trace|debug|info|warn|error|off]")
        ->check(CLI::Validator(
            [levels](std::string& value) {
                return levels.count(value) != 0 ? std::string()
                                                : "must be one of: trace, debug, info, warn, error, off";
            },
            ""))
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->group(global);

    std::map<std::vector<std::string>, CLI::App*> groups = {{{}, &root}};
    std::set<std::vector<std::string>> leaf_paths;
    for (Command* command : commands) {
        const CommandDecl& decl = command->decl();
        const std::vector<std::string>& path = decl.cli_path;
        if (path.empty()) continue;
        auto leave_off = [&](const std::string& why) {
            spdlog::warn("command '{}' is left off the command line: {}", decl.id, why);
        };
        try {
            std::vector<std::string> prefix;
            CLI::App* parent = &root;
            bool clash = false;
            for (std::size_t i = 0; i + 1 < path.size() && !clash; ++i) {
                prefix.push_back(path[i]);
                clash = leaf_paths.count(prefix) != 0;
                if (clash) break;
                auto group = groups.find(prefix);
                if (group == groups.end()) {
                    group = groups.emplace(prefix, parent->add_subcommand(path[i], "")).first;
                    group->second->require_subcommand(1);
                }
                parent = group->second;
            }
            if (clash || groups.count(path) != 0 || !leaf_paths.insert(path).second) {
                leave_off("'" + program + " " + CLI::detail::join(path, " ") + "' is already taken");
                continue;
            }
            CLI::App* app = parent->add_subcommand(path.back(), decl.summary);
            app->footer(decl.description);  // the long help; also stops a parent's footer being inherited
            Leaf& leaf = tree.leaves[app];
            leaf.command = command;
            leaf.specs = cliArgs(decl.args);
            addArguments(*app, leaf);
        } catch (const CLI::ConstructionError& error) {
            leave_off(error.what());
        }
    }
    for (auto& [path, group] : groups) {
        if (path.empty()) continue;
        const auto summary = group_summaries.find(path);
        if (summary != group_summaries.end()) {
            group->description(summary->second);
            continue;
        }
        std::vector<std::string> names;
        for (const CLI::App* sub : group->get_subcommands({})) names.push_back(sub->get_name());
        group->description("Commands: " + CLI::detail::join(names, ", "));
    }
    return tree;
}

CliRouter::CliRouter(std::string program, std::string version, std::vector<Command*> commands)
    : impl_(std::make_unique<Impl>(Impl{std::move(program), std::move(version), std::move(commands), {}, {}})) {}

CliRouter::~CliRouter() = default;

void CliRouter::describeGroup(const std::vector<std::string>& path, std::string summary) {
    impl_->group_summaries[path] = std::move(summary);
}

int CliRouter::run(int argc, const char* const* argv, Terminal& terminal) {
    Tree tree = impl_->build();
    if (argc <= 1) {
        terminal.out << tree.root->help() << std::flush;
        return kExitOk;
    }
    try {
        tree.root->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        terminal.out << tree.root->help() << std::flush;
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        terminal.out << tree.root->help() << std::flush;
        return kExitOk;
    } catch (const CLI::CallForVersion& version) {
        terminal.out << version.what() << "\n" << std::flush;
        return kExitOk;
    } catch (const CLI::ParseError& error) {
        const CLI::App* deepest = deepestSelected(tree.root.get());
        std::string message = error.what();
        if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && tree.leaves.count(deepest) == 0) {
            // CLI11 reports "requires at least 1 subcommand" even when the real problem is a mistyped one.
            std::vector<std::string> names;
            for (const CLI::App* sub : deepest->get_subcommands({})) names.push_back(sub->get_name());
            const std::string choices = "; choose one of: " + CLI::detail::join(names, ", ");
            const std::vector<std::string> extra = tree.root->remaining(true);
            if (extra.empty())
                message = "missing command" + choices;
            else if (extra.front().rfind('-', 0) == 0)
                message = "no such option: " + extra.front();
            else
                message = "no such command '" + extra.front() + "'" + choices;
        }
        return reportUsageError(terminal, message, usagePath(deepest));
    }

    const CLI::App* selected = deepestSelected(tree.root.get());
    const auto found = tree.leaves.find(selected);
    if (found == tree.leaves.end())  // unreachable with require_subcommand, kept as a guard
        return reportUsageError(terminal, "missing command", usagePath(selected));
    const Leaf& leaf = found->second;

    ParsedCommand parsed;
    parsed.command = leaf.command;
    parsed.usage_path = usagePath(selected);
    // Everything is collected as text and typed by the shared schema validator, like the HTTP router does.
    for (const auto& [index, option] : leaf.options) {
        if (option->count() == 0) continue;
        const ArgSpec& spec = leaf.specs[index];
        const std::vector<std::string>& results = option->results();
        if (spec.repeatable())
            parsed.given[spec.name] = results;
        else if (!results.empty())
            parsed.given[spec.name] = results.back();
    }
    if (leaf.format != nullptr) {
        parsed.format = leaf.format->count() > 0 ? leaf.format->results().back() : "table";
        if (parsed.format == "simple") parsed.format = "table";  // the original tool accepted it for table
        if (parsed.format != "table" && parsed.format != "json")
            return reportUsageError(terminal, "'--format' must be one of: table, json (got \"" + parsed.format + "\")",
                                    parsed.usage_path);
    }
    parsed.caller = &impl_->caller;
    return runParsedCommand(parsed, terminal);
}

void CliRouter::setCallerHooks(CallerHooks hooks) {
    impl_->caller = std::move(hooks);
}

}  // namespace clipdex::cli

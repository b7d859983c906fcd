#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <random>

#include "cli/arg_spec.hpp"
#include "cli/interrupt.hpp"
#include "cli/prompt.hpp"
#include "cli/render.hpp"
#include "core/schema.hpp"
#include "core/status.hpp"

namespace clipdex::cli {
namespace {

std::string newRequestId() {
    std::random_device device;
    std::uniform_int_distribution<unsigned> nibble(0, 15);
    std::string id = "cli-";
    for (int i = 0; i < 16; ++i) id += "0123456789abcdef"[nibble(device)];
    return id;
}

/// Prompts follow the schema's "required" list, which keeps the author's order (email before password);
/// the properties object itself is sorted by name.
std::vector<const ArgSpec*> promptOrder(const std::vector<ArgSpec>& specs, const json& schema) {
    std::vector<const ArgSpec*> order;
    auto add = [&order](const ArgSpec* spec) {
        if (spec != nullptr && spec->prompted() && std::find(order.begin(), order.end(), spec) == order.end())
            order.push_back(spec);
    };
    if (schema.contains("required") && schema["required"].is_array())
        for (const json& name : schema["required"])
            if (name.is_string()) add(findArg(specs, name.get<std::string>()));
    for (const ArgSpec& spec : specs) add(&spec);
    return order;
}

/// Progress on stderr, never in JSON mode. On a terminal: one redrawn line with a bar, the note and an ETA.
/// Otherwise (logs, pipes): a plain line each time the overall fraction advances, e.g. per finished file.
class ProgressLine {
public:
    ProgressLine(Terminal& terminal, bool json_mode)
        : terminal_(terminal),
          enabled_(!json_mode),
          redraw_(terminal.stdout_is_tty),
          start_(std::chrono::steady_clock::now()) {}
    ~ProgressLine() {
        if (shown_ && redraw_) terminal_.err << "\n" << std::flush;
    }
    void update(double fraction, std::string_view note) {
        if (!enabled_) return;
        const std::lock_guard lock(mutex_);  // plugins may report from worker threads
        fraction = std::clamp(fraction, 0.0, 1.0);
        const int percent = static_cast<int>(fraction * 100);
        if (!redraw_) {
            if (fraction <= last_fraction_) return;
            last_fraction_ = fraction;
            terminal_.err << percent << "% " << note << "\n" << std::flush;
            return;
        }
        constexpr int kWidth = 24;
        const int filled = static_cast<int>(fraction * kWidth);
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.append(static_cast<std::size_t>(kWidth - filled), '-');
        terminal_.err << "\r\033[K[" << bar << "] " << percent << "% " << note << eta(fraction) << std::flush;
        shown_ = true;
    }

private:
    /// Remaining time from the average pace so far; nothing until there is a pace to go by.
    std::string eta(double fraction) const {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        if (fraction <= 0.0 || fraction >= 1.0 || elapsed < 1.0) return {};
        const auto remaining = static_cast<long>(elapsed * (1.0 - fraction) / fraction + 0.5);
        char text[32];
        std::snprintf(text, sizeof text, "  ETA %ld:%02ld", remaining / 60, remaining % 60);
        return text;
    }

    Terminal& terminal_;
    bool enabled_;
    bool redraw_;
    std::chrono::steady_clock::time_point start_;
    bool shown_ = false;
    double last_fraction_ = 0.0;
    std::mutex mutex_;
};

int reportFailure(Terminal& terminal, const Outcome& outcome, bool json_mode) {
    const std::string message = outcome.message.empty() ? std::string(statusName(outcome.status)) : outcome.message;
    const json& details = outcome.details;
    const std::string code = details.is_object() && details.contains("code") && details["code"].is_string()
                                 ? details["code"].get<std::string>()
                                 : std::string(errorCodeFor(outcome.status));
    terminal.err << "error: " << message << "\n";
    if (details.is_object() && details.contains("hint"))
        terminal.err << "hint: " << displayText(details["hint"]) << "\n";
    if (json_mode) {
        // Scripts parse stdout in JSON mode, so the failure is there too, not only on stderr.
        json body = {{"success", false}, {"error", message}, {"code", code}};
        json extra = details.is_object() ? details : json::object();
        extra.erase("code");  // already the top-level "code"
        if (!extra.empty()) body["details"] = std::move(extra);
        terminal.out << dumpJson(body, 2) << "\n" << std::flush;
    }
    // A bad value is a usage error whether the router or the command noticed it (e.g. an unknown step).
    return outcome.status == CDX_E_INVALID_ARGUMENT ? kExitUsage : kExitFailure;
}

}  // namespace

int reportUsageError(Terminal& terminal, const std::string& message, const std::string& usage_path) {
    terminal.err << "error: " << message << "\n"
                 << "Run '" << usage_path << " --help' for usage.\n"
                 << std::flush;
    return kExitUsage;
}

int runParsedCommand(const ParsedCommand& parsed, Terminal& terminal) {
    const CommandDecl& decl = parsed.command->decl();
    const std::vector<ArgSpec> specs = cliArgs(decl.args);

    json given = parsed.given;
    try {
        for (const ArgSpec* spec : promptOrder(specs, decl.args)) {
            if (given.contains(spec->name)) continue;
            if (auto answer = promptFor(*spec, terminal)) given[spec->name] = *answer;
        }
    } catch (const PromptUnanswered& error) {
        return reportUsageError(terminal, error.what(), parsed.usage_path);
    } catch (const PromptMismatch& error) {
        terminal.err << "error: " << error.what() << "\n" << std::flush;
        return kExitFailure;
    }

    json args;
    try {
        // The same validator as HTTP: CLI text is coerced to the declared types, aliases resolved, defaults filled.
        args = schema::validateArgs(decl.args, given, schema::Origin::Text);
    } catch (const schema::ValidationError& error) {
        return reportUsageError(terminal, withCliSpelling(error.what(), error.field(), specs), parsed.usage_path);
    }

    const bool json_mode =
        parsed.format.empty() ? args.contains("format") && args["format"] == "json" : parsed.format == "json";
    Invocation invocation;
    invocation.args = std::move(args);
    invocation.request_id = newRequestId();
    if (parsed.caller != nullptr && parsed.caller->principal_for) {
        try {
            invocation.principal_json = parsed.caller->principal_for(decl);
        } catch (const CommandError& error) {
            return reportFailure(terminal, Outcome::failure(error.status(), error.what(), error.details()), json_mode);
        }
    }
    Outcome outcome;
    {
        ProgressLine progress(terminal, json_mode);
        invocation.on_progress = [&progress](double fraction, std::string_view note) {
            progress.update(fraction, note);
        };
        const InterruptScope interrupt_scope(invocation.cancel);
        outcome = parsed.command->run(invocation);
    }
    if (!outcome.ok()) return reportFailure(terminal, outcome, json_mode);
    if (parsed.caller != nullptr && parsed.caller->after_success) {
        try {
            parsed.caller->after_success(decl, outcome.result);
        } catch (const std::exception& error) {
            return reportFailure(terminal, Outcome::failure(CDX_E_IO, error.what()), json_mode);
        }
    }

    const json document = outputDocument(outcome.result, outcome.records);
    if (json_mode) {
        terminal.out << dumpJson(selectForJson(document, decl.output), 2) << "\n";
    } else {
        printHuman(terminal.out, document, decl.output, terminal.stdout_is_tty);
    }
    terminal.out << std::flush;
    return kExitOk;
}

}  // namespace clipdex::cli

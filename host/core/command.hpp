// A command as the routers see it: a declaration plus a way to run it. Plugin commands and host
// builtins look the same from here, so the CLI, HTTP and OpenAPI generators treat them alike.
#pragma once

#include <clipdex/abi.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/manifest.hpp"

namespace clipdex {

/// Shared between the caller (Ctrl-C, client gone) and the plugin (polls clipdex.cancellation/1).
class CancelToken {
public:
    void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
    void setDeadline(std::chrono::steady_clock::time_point deadline) { deadline_ = deadline; }
    bool cancelled() const noexcept {
        return cancelled_.load(std::memory_order_relaxed) ||
               (deadline_ && std::chrono::steady_clock::now() >= *deadline_);
    }
    bool deadlinePassed() const noexcept { return deadline_ && std::chrono::steady_clock::now() >= *deadline_; }

private:
    std::atomic<bool> cancelled_{false};
    std::optional<std::chrono::steady_clock::time_point> deadline_;
};

/// One run of a command. args are already validated against the declaration's schema.
struct Invocation {
    json args = json::object();
    std::string request_id;
    // The authenticated caller as JSON text: it crosses the ABI as text on every call, so it is kept as
    // text rather than re-serialised per call. Local mode acts as the local admin.
    std::string principal_json = R"({"id":"local","role":"admin"})";
    std::function<void(const json& record)> on_record;                        // streaming consumer, optional
    std::function<void(double fraction, std::string_view note)> on_progress;  // optional
    std::shared_ptr<CancelToken> cancel = std::make_shared<CancelToken>();
};

/// What came back. Never an exception: failures are a status plus a message.
struct Outcome {
    cdx_status status = CDX_OK;
    json result;                    // the result document on success
    std::vector<json> records;      // streamed records when the invocation had no on_record consumer
    std::string message;            // failure message
    json details = json::object();  // failure details; a "code" string overrides the API error code

    bool ok() const noexcept { return status == CDX_OK; }
    static Outcome failure(cdx_status status, std::string message, json details = json::object()) {
        Outcome outcome;
        outcome.status = status;
        outcome.message = std::move(message);
        outcome.details = std::move(details);
        return outcome;
    }
};

class Command {
public:
    explicit Command(CommandDecl decl) : decl_(std::move(decl)) {}
    virtual ~Command() = default;
    Command(const Command&) = delete;
    Command& operator=(const Command&) = delete;

    const CommandDecl& decl() const noexcept { return decl_; }
    /// Runs the command. Never throws.
    virtual Outcome run(Invocation& invocation) noexcept = 0;

private:
    CommandDecl decl_;
};

/// A command implemented inside the host (plugins list/info, serve). Exceptions become outcomes.
class BuiltinCommand final : public Command {
public:
    using Handler = std::function<json(Invocation&)>;
    BuiltinCommand(CommandDecl decl, Handler handler) : Command(std::move(decl)), handler_(std::move(handler)) {}
    Outcome run(Invocation& invocation) noexcept override;

private:
    Handler handler_;
};

/// Thrown by builtin handlers to fail with a specific status.
class CommandError : public std::runtime_error {
public:
    CommandError(cdx_status status, const std::string& message, json details = json::object())
        : std::runtime_error(message), status_(status), details_(std::move(details)) {}
    cdx_status status() const noexcept { return status_; }
    const json& details() const noexcept { return details_; }

private:
    cdx_status status_;
    json details_;
};

}  // namespace clipdex

// Header-only C++ wrapper over the clipdex C ABI. A plugin author writes a class derived from
// clipdex::Plugin and one CLIPDEX_PLUGIN(Class) line; everything here is compiled into the plugin and
// nothing but the entry symbol is exported. Exceptions never leave a trampoline: they become a status.
#pragma once
#define CLIPDEX_PLUGIN_HPP_INCLUDED 1

#include <clipdex/clipdex.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

static_assert(CDX_ABI_MAJOR == 1, "clipdex/plugin.hpp is written for ABI major 1");

namespace clipdex {

using json = nlohmann::json;

/// The one exception type plugin code throws on purpose; anything else is reported as CDX_E_INTERNAL.
class Error : public std::runtime_error {
public:
    Error(cdx_status status, const std::string& message, json details = json::object())
        : std::runtime_error(message), status_(status), details_(std::move(details)) {}
    cdx_status status() const noexcept { return status_; }
    const json& details() const noexcept { return details_; }

private:
    cdx_status status_;
    json details_;
};

namespace detail {

inline cdx_str view(std::string_view text) noexcept {
    return cdx_str{text.data(), text.size()};
}
inline std::string_view view(cdx_str text) noexcept {
    return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view();
}
inline std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// A sink that appends into a std::string owned by the plugin.
struct StringSink {
    std::string text;
    cdx_sink sink{sizeof(cdx_sink), this, &StringSink::write};
    static cdx_status CDX_CALL write(const cdx_sink* self, cdx_str bytes) noexcept {
        try {
            static_cast<StringSink*>(self->ctx)->text.append(bytes.ptr ? bytes.ptr : "", bytes.len);
            return CDX_OK;
        } catch (...) {
            return CDX_E_INTERNAL;
        }
    }
};

/// A host table is usable only if the host's struct covers the member we call.
template <class Table>
const Table* service(const cdx_host* host, const char* id, size_t needed_size) noexcept {
    if (host == nullptr || host->get_service == nullptr) return nullptr;
    const auto* table = static_cast<const Table*>(host->get_service(host, id));
    return (table != nullptr && table->struct_size >= needed_size) ? table : nullptr;
}

inline json parse(std::string_view text, const char* what) {
    json value = json::parse(text.begin(), text.end(), nullptr, false);
    if (value.is_discarded()) throw Error(CDX_E_INVALID_ARGUMENT, std::string(what) + " is not valid JSON");
    return value;
}

}  // namespace detail

class Context;

/// Parameterised SQL on the host catalog (clipdex.catalog/1). Values bind by name: ":name".
class Catalog {
public:
    Catalog(const cdx_host* host, const cdx_catalog_v1* table) : host_(host), table_(table) {}
    std::string dialect() const { return std::string(detail::view(table_->dialect(host_))); }
    json query(const Context& ctx, std::string_view sql, const json& params = json::object()) const;
    json transaction(const Context& ctx, const json& statements) const;

private:
    const cdx_host* host_;
    const cdx_catalog_v1* table_;
};

/// The plugin's view of the host: identity, logging, config and services. Cheap to copy.
class Host {
public:
    explicit Host(const cdx_host* host)
        : host_(host),
          log_(detail::service<cdx_log_v1>(host, CDX_SERVICE_LOG, sizeof(cdx_log_v1))),
          config_(detail::service<cdx_config_v1>(host, CDX_SERVICE_CONFIG, sizeof(cdx_config_v1))),
          catalog_(detail::service<cdx_catalog_v1>(host, CDX_SERVICE_CATALOG, sizeof(cdx_catalog_v1))),
          registry_(detail::service<cdx_registry_v1>(host, CDX_SERVICE_REGISTRY, sizeof(cdx_registry_v1))),
          dispatch_(detail::service<cdx_dispatch_v1>(host, CDX_SERVICE_DISPATCH, sizeof(cdx_dispatch_v1))),
          progress_(detail::service<cdx_progress_v1>(host, CDX_SERVICE_PROGRESS, sizeof(cdx_progress_v1))),
          cancellation_(
              detail::service<cdx_cancellation_v1>(host, CDX_SERVICE_CANCELLATION, sizeof(cdx_cancellation_v1))) {}

    const cdx_host* raw() const noexcept { return host_; }
    std::string_view pluginId() const noexcept { return detail::view(host_->plugin_id); }
    std::string_view hostVersion() const noexcept { return detail::view(host_->host_version); }
    std::string_view stateDir() const noexcept { return detail::view(host_->state_dir); }

    void log(cdx_log_level level, std::string_view message, const cdx_call* call = nullptr) const noexcept {
        if (log_ != nullptr) log_->write(host_, call, level, detail::view(message));
    }
    bool logEnabled(cdx_log_level level) const noexcept { return log_ != nullptr && log_->enabled(host_, level); }

    /// This plugin's config value at a dotted key, or null when absent.
    json config(std::string_view key = {}) const {
        if (config_ == nullptr) return json();
        detail::StringSink out;
        if (config_->get(host_, detail::view(key), &out.sink) != CDX_OK) return json();
        return detail::parse(out.text, "config value");
    }

    Catalog catalog() const {
        if (catalog_ == nullptr) throw Error(CDX_E_UNSUPPORTED, "this host offers no catalog service");
        return Catalog(host_, catalog_);
    }

    /// What the host has loaded: "plugins", "steps", "commands", "search_backends" or "auth_providers".
    json registry(std::string_view what) const {
        if (registry_ == nullptr) throw Error(CDX_E_UNSUPPORTED, "this host offers no registry service");
        detail::StringSink out;
        const cdx_status status = registry_->describe(host_, detail::view(what), &out.sink);
        if (status != CDX_OK) throw Error(status, "registry cannot describe '" + std::string(what) + "'");
        return detail::parse(out.text, "registry answer");
    }

    /// Runs another plugin's search backend: {"summary": {...}, "hits": [...]}.
    json search(const Context& ctx, std::string_view backend_id, const json& query) const;
    /// Runs an embedding provider ("" = the configured one for the request's kind):
    /// {"provider", "model", "dimension", "vectors": [[...], ...]}.
    json embed(const Context& ctx, std::string_view provider_id, const json& request) const;

    const cdx_progress_v1* progressService() const noexcept { return progress_; }
    const cdx_cancellation_v1* cancellationService() const noexcept { return cancellation_; }

private:
    using DispatchFn = decltype(cdx_dispatch_v1::search);  // search and embed share one signature
    json dispatch(DispatchFn cdx_dispatch_v1::*call, const Context& ctx, std::string_view id, const json& body,
                  const char* what) const;

    const cdx_host* host_;
    const cdx_log_v1* log_;
    const cdx_config_v1* config_;
    const cdx_catalog_v1* catalog_;
    const cdx_registry_v1* registry_;
    const cdx_dispatch_v1* dispatch_;
    const cdx_progress_v1* progress_;
    const cdx_cancellation_v1* cancellation_;
};

/// One invocation: cancellation, progress, logging and streaming for the call in progress.
class Context {
public:
    Context(const Host& host, const cdx_call* call) : host_(host), call_(call) {}

    const Host& host() const noexcept { return host_; }
    const cdx_call* raw() const noexcept { return call_; }
    std::string_view requestId() const noexcept { return detail::view(call_->request_id); }
    json principal() const {
        const std::string_view text = detail::view(call_->principal_json);
        return text.empty() ? json::object() : detail::parse(text, "principal");
    }

    bool cancelled() const noexcept {
        const auto* service = host_.cancellationService();
        return service != nullptr && service->is_cancelled(call_);
    }
    void throwIfCancelled() const {
        if (cancelled()) throw Error(CDX_E_CANCELLED, "cancelled");
    }
    void progress(double fraction, std::string_view note = {}) const noexcept {
        if (const auto* service = host_.progressService()) service->report(call_, fraction, detail::view(note));
    }
    /// Stream one record to the caller before the call returns.
    void emit(const json& record) const {
        const std::string text = detail::dump(record);
        const cdx_status status = call_->emit(call_, detail::view(text));
        if (status != CDX_OK) throw Error(status, "the host refused a streamed record");
    }

    void debug(std::string_view message) const noexcept { host_.log(CDX_LOG_DEBUG, message, call_); }
    void info(std::string_view message) const noexcept { host_.log(CDX_LOG_INFO, message, call_); }
    void warn(std::string_view message) const noexcept { host_.log(CDX_LOG_WARN, message, call_); }
    void error(std::string_view message) const noexcept { host_.log(CDX_LOG_ERROR, message, call_); }

private:
    const Host& host_;
    const cdx_call* call_;
};

inline json Catalog::query(const Context& ctx, std::string_view sql, const json& params) const {
    const std::string params_text = detail::dump(params);
    detail::StringSink out;
    const cdx_status status = table_->query(host_, ctx.raw(), detail::view(sql), detail::view(params_text), &out.sink);
    if (status != CDX_OK) throw Error(status, "catalog query failed (the host logged the cause)");
    return detail::parse(out.text, "catalog rows");
}

inline json Catalog::transaction(const Context& ctx, const json& statements) const {
    const std::string text = detail::dump(statements);
    detail::StringSink out;
    const cdx_status status = table_->transaction(host_, ctx.raw(), detail::view(text), &out.sink);
    if (status != CDX_OK) throw Error(status, "catalog transaction failed (the host logged the cause)");
    return detail::parse(out.text, "catalog transaction result");
}

namespace detail {
/// clipdex.dispatch/1 writes {"error": {"message", "details"}} with a failing status.
[[noreturn]] inline void throwDispatchFailure(cdx_status status, const std::string& answer) {
    const json parsed = json::parse(answer, nullptr, false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
        const json& error = parsed["error"];
        throw Error(status, error.value("message", std::string("dispatch failed")),
                    error.value("details", json::object()));
    }
    throw Error(status, "dispatch failed");
}
}  // namespace detail

inline json Host::dispatch(DispatchFn cdx_dispatch_v1::*call, const Context& ctx, std::string_view id, const json& body,
                           const char* what) const {
    if (dispatch_ == nullptr) throw Error(CDX_E_UNSUPPORTED, "this host offers no dispatch service (needs ABI 1.1)");
    const std::string text = detail::dump(body);
    detail::StringSink out;
    const cdx_status status = (dispatch_->*call)(host_, ctx.raw(), detail::view(id), detail::view(text), &out.sink);
    if (status != CDX_OK) detail::throwDispatchFailure(status, out.text);
    return detail::parse(out.text, what);
}

inline json Host::search(const Context& ctx, std::string_view backend_id, const json& query) const {
    return dispatch(&cdx_dispatch_v1::search, ctx, backend_id, query, "search answer");
}

inline json Host::embed(const Context& ctx, std::string_view provider_id, const json& request) const {
    return dispatch(&cdx_dispatch_v1::embed, ctx, provider_id, request, "embedding answer");
}

/// A pipeline step instance; the host never calls run concurrently on one instance.
class Step {
public:
    virtual ~Step() = default;
    /// Returns the step's outputs as a JSON object.
    virtual json run(const json& inputs, Context& ctx) = 0;
};

/// Base class of every C++ plugin. Override what the manifest declares; the rest answers "unsupported".
class Plugin {
public:
    explicit Plugin(const Host& host) : host_(host) {}
    virtual ~Plugin() = default;
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    const Host& host() const noexcept { return host_; }

    /// A command from the manifest's provides.commands. The return value is the command's result.
    virtual json invoke(std::string_view command_id, const json& args, Context& ctx) {
        (void)args;
        (void)ctx;
        throw Error(CDX_E_UNSUPPORTED, "command '" + std::string(command_id) + "' is not implemented");
    }
    virtual std::unique_ptr<Step> createStep(std::string_view step_id, const json& config, Context& ctx) {
        (void)config;
        (void)ctx;
        throw Error(CDX_E_UNSUPPORTED, "step '" + std::string(step_id) + "' is not implemented");
    }
    /// Emit hits with ctx.emit(); return a summary object.
    virtual json search(std::string_view backend_id, const json& query, Context& ctx) {
        (void)query;
        (void)ctx;
        throw Error(CDX_E_UNSUPPORTED, "search backend '" + std::string(backend_id) + "' is not implemented");
    }
    virtual void index(std::string_view backend_id, const json& docs, Context& ctx) {
        (void)docs;
        (void)ctx;
        throw Error(CDX_E_UNSUPPORTED, "search backend '" + std::string(backend_id) + "' cannot index");
    }
    virtual void remove(std::string_view backend_id, const json& ids, Context& ctx) {
        (void)ids;
        (void)ctx;
        throw Error(CDX_E_UNSUPPORTED, "search backend '" + std::string(backend_id) + "' cannot remove");
    }
    /// Embed request["inputs"]; return {"model", "dimension", "vectors"} (see clipdex/interfaces/embedder.h).
    virtual json embed(std::string_view provider_id, const json& request, Context& ctx) {
        (void)request;
        (void)ctx;
        throw Error(CDX_E_UNSUPPORTED, "embedding provider '" + std::string(provider_id) + "' is not implemented");
    }
    /// Return the principal, or throw Error(CDX_E_UNAUTHENTICATED / CDX_E_NOT_FOUND).
    virtual json authenticate(std::string_view provider_id, const json& request, Context& ctx) {
        (void)request;
        (void)ctx;
        throw Error(CDX_E_UNSUPPORTED, "auth provider '" + std::string(provider_id) + "' is not implemented");
    }

private:
    Host host_;
};

}  // namespace clipdex

#include <clipdex/detail/trampolines.hpp>

/// Exports the plugin's single entry symbol for `Class` (derived from clipdex::Plugin).
#define CLIPDEX_PLUGIN(Class)                                                              \
    extern "C" CDX_EXPORT const cdx_plugin_entry* CDX_CALL clipdex_plugin_entry_v1(void) { \
        return ::clipdex::detail::entry<Class>();                                          \
    }

// Implementations of the host service tables (sdk/include/clipdex/services/*.h). Every function is a
// noexcept boundary: host exceptions become a status and, for calls, a failure recorded on the call.
#include <clipdex/clipdex.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <string_view>

#include "catalog/catalog.hpp"
#include "services/call_state.hpp"
#include "services/host_binding.hpp"

namespace clipdex {
namespace {

std::string_view view(cdx_str text) noexcept {
    return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view();
}
cdx_status writeTo(const cdx_sink* sink, std::string_view text) noexcept {
    return sink->write(sink, cdx_str{text.data(), text.size()});
}

spdlog::level::level_enum toSpdlog(cdx_log_level level) noexcept {
    switch (level) {
        case CDX_LOG_TRACE: return spdlog::level::trace;
        case CDX_LOG_DEBUG: return spdlog::level::debug;
        case CDX_LOG_INFO: return spdlog::level::info;
        case CDX_LOG_WARN: return spdlog::level::warn;
        default: return spdlog::level::err;
    }
}

void CDX_CALL logWrite(const cdx_host* host, const cdx_call* call, cdx_log_level level, cdx_str message) noexcept {
    const HostBinding* binding = HostBinding::from(host);
    try {
        const std::string_view plugin = binding ? std::string_view(binding->plugin_id) : std::string_view("?");
        CallState* state = CallState::from(call);
        if (state != nullptr) {
            spdlog::log(toSpdlog(level), "[{}] [{}] {}", plugin, state->invocation().request_id, view(message));
        } else {
            spdlog::log(toSpdlog(level), "[{}] {}", plugin, view(message));
        }
    } catch (...) {
    }
}

bool CDX_CALL logEnabled(const cdx_host* host, cdx_log_level level) noexcept {
    (void)host;
    return spdlog::should_log(toSpdlog(level));
}

void CDX_CALL progressReport(const cdx_call* call, double fraction, cdx_str note) noexcept {
    CallState* state = CallState::from(call);
    if (state == nullptr || !state->invocation().on_progress) return;
    try {
        state->invocation().on_progress(fraction > 1.0 ? 1.0 : fraction, view(note));
    } catch (...) {
    }
}

bool CDX_CALL isCancelled(const cdx_call* call) noexcept {
    CallState* state = CallState::from(call);
    return state != nullptr && state->invocation().cancel->cancelled();
}

cdx_status CDX_CALL configGet(const cdx_host* host, cdx_str key, const cdx_sink* out) noexcept {
    const HostBinding* binding = HostBinding::from(host);
    if (binding == nullptr || out == nullptr) return CDX_E_INVALID_ARGUMENT;
    try {
        const json* node = nullptr;
        const json section = binding->hub->pluginConfig(binding->plugin_id);
        node = &section;
        std::string_view rest = view(key);
        while (!rest.empty()) {
            const size_t dot = rest.find('.');
            const std::string part(rest.substr(0, dot));
            if (!node->is_object() || !node->contains(part)) return CDX_E_NOT_FOUND;
            node = &(*node)[part];
            rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
        }
        return writeTo(out, dumpJson(*node));
    } catch (...) {
        return CDX_E_INTERNAL;
    }
}

cdx_str CDX_CALL catalogDialect(const cdx_host* host) noexcept {
    static constexpr std::string_view kUnknown = "unknown";
    const HostBinding* binding = HostBinding::from(host);
    try {
        const std::string_view dialect = binding->hub->catalog().dialect();
        return cdx_str{dialect.data(), dialect.size()};
    } catch (...) {
        return cdx_str{kUnknown.data(), kUnknown.size()};
    }
}

/// Runs a catalog operation; errors are logged, recorded on the call and returned as a status.
template <class Operation>
cdx_status catalogCall(const cdx_host* host, const cdx_call* call, const cdx_sink* out,
                       Operation&& operation) noexcept {
    const HostBinding* binding = HostBinding::from(host);
    CallState* state = CallState::from(call);
    if (binding == nullptr || out == nullptr) return CDX_E_INVALID_ARGUMENT;
    auto failWith = [&](cdx_status status, const std::string& message) {
        spdlog::debug("[{}] catalog: {}", binding->plugin_id, message);
        if (state != nullptr) state->recordFailure(status, message);
        return status;
    };
    try {
        return writeTo(out, dumpJson(operation(binding->hub->catalog())));
    } catch (const catalog::CatalogError& error) {
        return failWith(error.status(), error.what());
    } catch (const json::exception& error) {
        return failWith(CDX_E_INVALID_ARGUMENT, std::string("catalog arguments: ") + error.what());
    } catch (const std::exception& error) {
        return failWith(CDX_E_INTERNAL, error.what());
    } catch (...) {
        return failWith(CDX_E_INTERNAL, "unknown catalog failure");
    }
}

json parseArgument(cdx_str text, const char* what) {
    const std::string_view body = view(text);
    if (body.empty()) return json::object();
    json value = json::parse(body.begin(), body.end(), nullptr, false);
    if (value.is_discarded())
        throw catalog::CatalogError(CDX_E_INVALID_ARGUMENT, std::string(what) + " is not valid JSON");
    return value;
}

cdx_status CDX_CALL catalogQuery(const cdx_host* host, const cdx_call* call, cdx_str sql, cdx_str params,
                                 const cdx_sink* out) noexcept {
    return catalogCall(host, call, out, [&](catalog::Catalog& catalog) {
        return catalog.query(view(sql), parseArgument(params, "query parameters"));
    });
}

cdx_status CDX_CALL catalogTransaction(const cdx_host* host, const cdx_call* call, cdx_str statements,
                                       const cdx_sink* out) noexcept {
    return catalogCall(host, call, out, [&](catalog::Catalog& catalog) {
        return catalog.transaction(parseArgument(statements, "transaction statements"));
    });
}

cdx_status CDX_CALL registryDescribe(const cdx_host* host, cdx_str what, const cdx_sink* out) noexcept {
    const HostBinding* binding = HostBinding::from(host);
    if (binding == nullptr || out == nullptr) return CDX_E_INVALID_ARGUMENT;
    try {
        return writeTo(out, dumpJson(binding->hub->describeRegistry(view(what))));
    } catch (const std::invalid_argument&) {
        return CDX_E_INVALID_ARGUMENT;
    } catch (...) {
        return CDX_E_INTERNAL;
    }
}

/// Runs a dispatch through the hub under the calling plugin's invocation; the answer goes to `out`. A failure
/// is written as {"error": {"message", "details"}} and returned, but not recorded on the caller's call: the
/// caller may recover (hybrid search without vectors, say).
template <class Operation>
cdx_status dispatchCall(const cdx_host* host, const cdx_call* call, const cdx_sink* out,
                        Operation&& operation) noexcept {
    const HostBinding* binding = HostBinding::from(host);
    CallState* state = CallState::from(call);
    if (binding == nullptr || state == nullptr || out == nullptr) return CDX_E_INVALID_ARGUMENT;
    try {
        const Outcome outcome = operation(*binding->hub, state->invocation());
        if (!outcome.ok()) {
            writeTo(out, dumpJson(json{{"error", {{"message", outcome.message}, {"details", outcome.details}}}}));
            return outcome.status;
        }
        return writeTo(out, dumpJson(outcome.result));
    } catch (const std::exception& error) {
        writeTo(out, dumpJson(json{{"error", {{"message", error.what()}}}}));
        return CDX_E_INVALID_ARGUMENT;
    } catch (...) {
        return CDX_E_INTERNAL;
    }
}

cdx_status CDX_CALL dispatchSearch(const cdx_host* host, const cdx_call* call, cdx_str backend_id, cdx_str query,
                                   const cdx_sink* out) noexcept {
    return dispatchCall(host, call, out, [&](ServiceHub& hub, const Invocation& parent) {
        return hub.searchBackend(parent, view(backend_id), parseArgument(query, "search query"));
    });
}

cdx_status CDX_CALL dispatchEmbed(const cdx_host* host, const cdx_call* call, cdx_str provider_id, cdx_str request,
                                  const cdx_sink* out) noexcept {
    return dispatchCall(host, call, out, [&](ServiceHub& hub, const Invocation& parent) {
        return hub.embed(parent, view(provider_id), parseArgument(request, "embedding request"));
    });
}

const cdx_log_v1 kLog{sizeof(cdx_log_v1), &logWrite, &logEnabled};
const cdx_progress_v1 kProgress{sizeof(cdx_progress_v1), &progressReport};
const cdx_cancellation_v1 kCancellation{sizeof(cdx_cancellation_v1), &isCancelled};
const cdx_config_v1 kConfig{sizeof(cdx_config_v1), &configGet};
const cdx_catalog_v1 kCatalog{sizeof(cdx_catalog_v1), &catalogDialect, &catalogQuery, &catalogTransaction};
const cdx_registry_v1 kRegistry{sizeof(cdx_registry_v1), &registryDescribe};
const cdx_dispatch_v1 kDispatch{sizeof(cdx_dispatch_v1), &dispatchSearch, &dispatchEmbed};

}  // namespace

const void* lookupService(const char* service_id) noexcept {
    if (service_id == nullptr) return nullptr;
    const std::string_view id = service_id;
    if (id == CDX_SERVICE_LOG) return &kLog;
    if (id == CDX_SERVICE_PROGRESS) return &kProgress;
    if (id == CDX_SERVICE_CANCELLATION) return &kCancellation;
    if (id == CDX_SERVICE_CONFIG) return &kConfig;
    if (id == CDX_SERVICE_CATALOG) return &kCatalog;
    if (id == CDX_SERVICE_REGISTRY) return &kRegistry;
    if (id == CDX_SERVICE_DISPATCH) return &kDispatch;
    return nullptr;
}

}  // namespace clipdex

// Internal to the C++ wrapper: the noexcept trampolines behind the C tables and the entry the
// CLIPDEX_PLUGIN macro exports. Included by clipdex/plugin.hpp; do not include it directly.
#pragma once

#ifndef CLIPDEX_PLUGIN_HPP_INCLUDED
#error "include <clipdex/plugin.hpp> instead"
#endif

namespace clipdex {

namespace detail {

/// Runs `body`, turning every escaping exception into call->fail + status (fail closed).
template <class Body>
cdx_status guarded(const cdx_call* call, Body&& body) noexcept {
    auto fail = [call](cdx_status status, std::string_view message, const json& details) noexcept {
        try {
            const std::string details_text = details.empty() ? std::string() : dump(details);
            call->fail(call, status, view(message), view(details_text));
        } catch (...) {
            call->fail(call, status, view(message), cdx_str{nullptr, 0});
        }
        return status;
    };
    try {
        body();
        return CDX_OK;
    } catch (const Error& error) {
        return fail(error.status() == CDX_OK ? CDX_E_INTERNAL : error.status(), error.what(), error.details());
    } catch (const json::exception& error) {
        return fail(CDX_E_INVALID_ARGUMENT, error.what(), json::object());
    } catch (const std::exception& error) {
        return fail(CDX_E_INTERNAL, error.what(), json::object());
    } catch (...) {
        return fail(CDX_E_INTERNAL, "unknown exception in plugin", json::object());
    }
}

inline cdx_status writeResult(const cdx_call* call, const json& value) {
    const std::string text = dump(value);
    return call->write_result(call, view(text));
}

struct StepInstance {
    Plugin* plugin;
    std::unique_ptr<Step> step;
};

template <class PluginClass>
struct Trampolines {
    static Plugin* self(void* plugin) noexcept { return static_cast<Plugin*>(plugin); }

    static cdx_status CDX_CALL init(const cdx_host* host, void** out_plugin, const cdx_sink* error) noexcept {
        try {
            *out_plugin = static_cast<Plugin*>(new PluginClass(Host(host)));
            return CDX_OK;
        } catch (const std::exception& failure) {
            const std::string_view message = failure.what();
            error->write(error, view(message));
        } catch (...) {
            error->write(error, view("unknown exception in plugin constructor"));
        }
        return CDX_E_INTERNAL;
    }
    static void CDX_CALL shutdown(void* plugin) noexcept { delete self(plugin); }

    static cdx_status CDX_CALL invoke(void* plugin, cdx_str command_id, cdx_str args_json,
                                      const cdx_call* call) noexcept {
        return guarded(call, [&] {
            Context ctx(self(plugin)->host(), call);
            const json result = self(plugin)->invoke(view(command_id), parse(view(args_json), "arguments"), ctx);
            if (writeResult(call, result) != CDX_OK) throw Error(CDX_E_INTERNAL, "the host refused the result");
        });
    }

    static cdx_status CDX_CALL stepCreate(void* plugin, cdx_str step_id, cdx_str config_json, const cdx_call* call,
                                          void** out_instance) noexcept {
        return guarded(call, [&] {
            Context ctx(self(plugin)->host(), call);
            auto step = self(plugin)->createStep(view(step_id), parse(view(config_json), "step config"), ctx);
            if (!step) throw Error(CDX_E_INTERNAL, "createStep returned no step");
            *out_instance = new StepInstance{self(plugin), std::move(step)};
        });
    }
    static cdx_status CDX_CALL stepRun(void* instance, cdx_str inputs_json, const cdx_call* call) noexcept {
        return guarded(call, [&] {
            auto* holder = static_cast<StepInstance*>(instance);
            Context ctx(holder->plugin->host(), call);
            const json outputs = holder->step->run(parse(view(inputs_json), "step inputs"), ctx);
            if (writeResult(call, outputs) != CDX_OK) throw Error(CDX_E_INTERNAL, "the host refused the outputs");
        });
    }
    static void CDX_CALL stepDestroy(void* instance) noexcept { delete static_cast<StepInstance*>(instance); }

    static cdx_status CDX_CALL searchQuery(void* plugin, cdx_str backend_id, cdx_str query_json,
                                           const cdx_call* call) noexcept {
        return guarded(call, [&] {
            Context ctx(self(plugin)->host(), call);
            const json summary = self(plugin)->search(view(backend_id), parse(view(query_json), "query"), ctx);
            if (writeResult(call, summary) != CDX_OK) throw Error(CDX_E_INTERNAL, "the host refused the result");
        });
    }
    static cdx_status CDX_CALL searchIndex(void* plugin, cdx_str backend_id, cdx_str docs_json,
                                           const cdx_call* call) noexcept {
        return guarded(call, [&] {
            Context ctx(self(plugin)->host(), call);
            self(plugin)->index(view(backend_id), parse(view(docs_json), "documents"), ctx);
        });
    }
    static cdx_status CDX_CALL searchRemove(void* plugin, cdx_str backend_id, cdx_str ids_json,
                                            const cdx_call* call) noexcept {
        return guarded(call, [&] {
            Context ctx(self(plugin)->host(), call);
            self(plugin)->remove(view(backend_id), parse(view(ids_json), "ids"), ctx);
        });
    }
    static cdx_status CDX_CALL authenticate(void* plugin, cdx_str provider_id, cdx_str request_json,
                                            const cdx_call* call) noexcept {
        return guarded(call, [&] {
            Context ctx(self(plugin)->host(), call);
            const json principal =
                self(plugin)->authenticate(view(provider_id), parse(view(request_json), "auth request"), ctx);
            if (writeResult(call, principal) != CDX_OK) throw Error(CDX_E_INTERNAL, "the host refused the result");
        });
    }

    static cdx_status CDX_CALL embed(void* plugin, cdx_str provider_id, cdx_str request_json,
                                     const cdx_call* call) noexcept {
        return guarded(call, [&] {
            Context ctx(self(plugin)->host(), call);
            const json result =
                self(plugin)->embed(view(provider_id), parse(view(request_json), "embedding request"), ctx);
            if (writeResult(call, result) != CDX_OK) throw Error(CDX_E_INTERNAL, "the host refused the result");
        });
    }

    static const void* CDX_CALL getInterface(void* plugin, const char* interface_id) noexcept {
        (void)plugin;
        static const cdx_command_v1 command{sizeof(cdx_command_v1), &invoke};
        static const cdx_step_v1 step{sizeof(cdx_step_v1), &stepCreate, &stepRun, &stepDestroy};
        static const cdx_search_v1 search{sizeof(cdx_search_v1), &searchIndex, &searchQuery, &searchRemove};
        static const cdx_auth_v1 auth{sizeof(cdx_auth_v1), &authenticate};
        static const cdx_embedder_v1 embedder{sizeof(cdx_embedder_v1), &embed};
        const std::string_view id = interface_id ? interface_id : "";
        if (id == CDX_IFACE_COMMAND) return &command;
        if (id == CDX_IFACE_STEP) return &step;
        if (id == CDX_IFACE_SEARCH) return &search;
        if (id == CDX_IFACE_AUTH) return &auth;
        if (id == CDX_IFACE_EMBEDDER) return &embedder;
        return nullptr;
    }
};

}  // namespace detail

namespace generated {
// Defined in the source file clipdex_add_plugin() generates from the plugin's manifest.
extern const char manifest_json[];
extern const char build_info[];
}  // namespace generated

namespace detail {
template <class PluginClass>
const cdx_plugin_entry* entry() noexcept {
    static_assert(std::is_base_of_v<Plugin, PluginClass>, "CLIPDEX_PLUGIN needs a class derived from clipdex::Plugin");
    using T = Trampolines<PluginClass>;
    static const cdx_plugin_entry value{
        sizeof(cdx_plugin_entry), CDX_ABI_MAJOR, CDX_TARGET_ABI_MINOR, generated::manifest_json,
        generated::build_info,    &T::init,      &T::shutdown,         &T::getInterface};
    return &value;
}
}  // namespace detail

}  // namespace clipdex

#include "auth/identity.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "loader/provider_calls.hpp"
#include "runtime/config.hpp"

namespace clipdex::auth {
namespace {

json withCaller(json principal, const Caller& caller) {
    principal["channel"] = caller.channel;
    if (!caller.client_ip.empty()) principal["client_ip"] = caller.client_ip;
    return principal;
}

}  // namespace

Settings settingsFrom(const Config& config) {
    Settings settings;
    std::string mode;
    if (const char* env = std::getenv("CLIPDEX_AUTH_MODE"); env != nullptr && *env != '\0') {
        mode = env;
    } else if (const json configured = config.value("/auth/mode"); configured.is_string()) {
        mode = configured.get<std::string>();
    }
    if (mode == "team") {
        settings.mode = Mode::Team;
    } else if (!mode.empty() && mode != "local") {
        throw std::invalid_argument("unknown auth mode '" + mode +
                                    "' (CLIPDEX_AUTH_MODE or config auth.mode); use local or team");
    }
    if (const json provider = config.value("/auth/provider");
        provider.is_string() && !provider.get<std::string>().empty())
        settings.provider = provider.get<std::string>();
    return settings;
}

std::string anonymousPrincipal(const Caller& caller) {
    return dumpJson(withCaller(json{{"id", "anonymous"}, {"role", "anonymous"}}, caller));
}

std::string localPrincipal(const Caller& caller) {
    return dumpJson(withCaller(json{{"id", "local"}, {"role", "admin"}, {"email", "local@localhost"}}, caller));
}

std::string Identity::principalFor(const CommandDecl& decl, const std::optional<Credential>& credential,
                                   const Caller& caller) {
    if (decl.auth == "none") return anonymousPrincipal(caller);
    if (!credential || credential->token.empty()) {
        if (settings_.mode == Mode::Local) return localPrincipal(caller);
        if (decl.auth == "optional") return anonymousPrincipal(caller);
        throw CommandError(CDX_E_UNAUTHENTICATED,
                           "Authentication required: log in (clipdex auth login) or send Authorization: Bearer <token>",
                           json{{"code", "AUTH_REQUIRED"}});
    }
    Invocation parent;
    parent.principal_json = anonymousPrincipal(caller);
    const json request = {
        {"token", credential->token}, {"source", credential->source}, {"client_ip", caller.client_ip}};
    Outcome outcome = callAuthProvider(registry_, parent, settings_.provider, request);
    if (outcome.ok() && outcome.result.is_object() && outcome.result.contains("id"))
        return dumpJson(withCaller(std::move(outcome.result), caller));
    if (outcome.status == CDX_E_UNAUTHENTICATED || outcome.ok()) {
        if (decl.auth == "optional") return anonymousPrincipal(caller);
        throw CommandError(CDX_E_UNAUTHENTICATED, "Invalid or expired credentials: log in again (clipdex auth login)",
                           json{{"code", "AUTH_INVALID"}});
    }
    // The provider itself is missing or broken: say so rather than pretending the credential was wrong.
    spdlog::warn("auth provider {} failed: {}", settings_.provider, outcome.message);
    throw CommandError(outcome.status == CDX_E_UNSUPPORTED ? CDX_E_UNAVAILABLE : outcome.status,
                       "cannot check credentials: " + outcome.message, json{{"code", "AUTH_UNAVAILABLE"}});
}

}  // namespace clipdex::auth

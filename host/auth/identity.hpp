// Who is calling: turns a request's credential into the principal JSON every plugin call carries, through the
// configured auth provider plugin (clipdex.auth/1), and applies the two modes (docs/auth/modes.md):
//  - local (default): one user on loopback; without credentials every call acts as the local admin.
//  - team: every command that declares "auth": "required" (the default) needs an identity.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "core/command.hpp"
#include "core/manifest.hpp"

namespace clipdex {
class PluginRegistry;
class Config;
}  // namespace clipdex

namespace clipdex::auth {

enum class Mode { Local, Team };

struct Settings {
    Mode mode = Mode::Local;
    std::string provider = "local-accounts";  // the auth provider id that checks credentials
};

/// $CLIPDEX_AUTH_MODE, else config "auth.mode" ("local" | "team"); config "auth.provider". Throws
/// std::invalid_argument naming the bad value.
Settings settingsFrom(const Config& config);

struct Credential {
    std::string token;
    std::string source;  // "bearer", "cookie" or "cli"
};

/// Where a call comes from, passed on to plugins in the principal ("channel", "client_ip").
struct Caller {
    std::string channel;  // "cli" or "http"
    std::string client_ip;
};

class Identity {
public:
    Identity(PluginRegistry& registry, Settings settings) : registry_(registry), settings_(std::move(settings)) {}

    const Settings& settings() const noexcept { return settings_; }

    /// The principal JSON text for a call of `decl`. Throws CommandError(UNAUTHENTICATED) when the command needs
    /// an identity and has none, or when a credential is given but refused (except for "auth": "none" commands,
    /// which never look at credentials, and "optional" ones, which then run anonymous).
    std::string principalFor(const CommandDecl& decl, const std::optional<Credential>& credential,
                             const Caller& caller);

private:
    PluginRegistry& registry_;
    Settings settings_;
};

/// The anonymous and local-admin principals, as JSON text, for `caller`.
std::string anonymousPrincipal(const Caller& caller);
std::string localPrincipal(const Caller& caller);

}  // namespace clipdex::auth

// Entry point of the clipdex.accounts plugin: settings, the caller's identity, command dispatch.
#include <sodium.h>

#include "accounts.hpp"

namespace accounts {

Settings loadSettings(const clipdex::Host& host) {
    Settings settings;
    settings.session_days = configInt(host, "session_days", 30, 1, 3650);
    settings.pwhash.opslimit = static_cast<unsigned long long>(
        configInt(host, "pwhash_opslimit", crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_OPSLIMIT_MIN, 64));
    settings.pwhash.memlimit =
        static_cast<std::size_t>(configInt(host, "pwhash_memlimit_kib", crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024,
                                           crypto_pwhash_MEMLIMIT_MIN / 1024, 4 * 1024 * 1024)) *
        1024;
    settings.per_ip.max_failures = configInt(host, "login_max_failures_per_ip", 20, 1, 100000);
    settings.per_ip.window = std::chrono::seconds(configInt(host, "login_ip_window_seconds", 300, 1, 86400));
    settings.per_account.max_failures = configInt(host, "login_max_failures_per_account", 5, 1, 100000);
    settings.per_account.window = std::chrono::seconds(configInt(host, "login_account_window_seconds", 900, 1, 86400));
    return settings;
}

Caller callerOf(const clipdex::Context& ctx) {
    const json principal = ctx.principal();
    Caller caller;
    if (!principal.is_object()) return caller;
    auto text = [&principal](const char* key) {
        const auto found = principal.find(key);
        return found != principal.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    caller.id = text("id");
    caller.role = text("role");
    caller.email = text("email");
    caller.session = text("session");
    caller.api_key = text("api_key");
    caller.client_ip = text("client_ip");
    return caller;
}

json userJson(const json& row) {
    const std::string id = row.value("id", std::string());
    const std::string role = row.value("role", std::string("user"));
    json display = row.contains("display_name") ? row["display_name"] : json();
    return {{"id", id},
            {"email", row.value("email", std::string())},
            {"display_name", display.is_string() ? display : json(nullptr)},
            {"profile_type", role},
            {"role", role},
            {"user_id", id}};
}

AccountsPlugin::AccountsPlugin(const clipdex::Host& host)
    : Plugin(host), settings_(loadSettings(host)), guard_(settings_.per_ip, settings_.per_account) {
    if (sodium_init() < 0) throw clipdex::Error(CDX_E_UNAVAILABLE, "libsodium could not be initialised");
}

json AccountsPlugin::invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) {
    if (command_id == "signup") return signup(args, ctx);
    if (command_id == "login") return login(args, ctx);
    if (command_id == "logout") return logout(ctx);
    if (command_id == "status") return status(ctx);
    if (command_id == "keys-create") return createKey(args, ctx);
    if (command_id == "keys-list") return listKeys(args, ctx);
    if (command_id == "keys-revoke") return revokeKey(args, ctx);
    return Plugin::invoke(command_id, args, ctx);
}

const std::string& AccountsPlugin::dummyHash() {
    std::call_once(dummy_once_, [this] { dummy_hash_ = hashPassword(randomHex(16), settings_.pwhash); });
    return dummy_hash_;
}

}  // namespace accounts

CLIPDEX_PLUGIN(accounts::AccountsPlugin)

#include "realtime/command_bridge.hpp"

#include "core/schema.hpp"
#include "http/envelope.hpp"
#include "http/request_args.hpp"
#include "http/server_state.hpp"
#include "http/session_cookie.hpp"

namespace clipdex::realtime {
namespace {

/// Stands in for "a command that requires authentication" when the handshake itself is checked.
const CommandDecl& handshakeDecl() {
    static const CommandDecl decl = [] {
        CommandDecl d;
        d.id = "realtime-connect";
        d.summary = "Open a live progress connection";
        d.auth = "required";
        return d;
    }();
    return decl;
}

}  // namespace

std::string authErrorMessage(const std::string& message) {
    if (message.rfind("Authentication", 0) == 0) return message;
    return "Authentication error: " + message;
}

ClientIdentity identify(http::ServerState& state, const Poco::Net::HTTPServerRequest& request) {
    return CommandBridge(state).identify(http::credentialFrom(request),
                                         auth::Caller{"http", request.clientAddress().host().toString()});
}

ClientIdentity CommandBridge::identify(std::optional<auth::Credential> credential, auth::Caller caller) const {
    ClientIdentity identity;
    identity.credential = std::move(credential);
    identity.caller = std::move(caller);
    identity.principal_json = state_.options.principal_for
                                  ? state_.options.principal_for(handshakeDecl(), identity.credential, identity.caller)
                                  : Invocation().principal_json;  // no identity configured: the local admin
    identity.viewer = jobs::viewerOf(identity.principal_json);
    return identity;
}

json CommandBridge::call(const std::string& method, const std::string& path_template,
                         const std::map<std::string, std::string>& path_params, const json& args,
                         const ClientIdentity& identity) const {
    const http::Route* route = nullptr;
    for (const http::Route& candidate : state_.routes.routes())
        if (candidate.method == method && candidate.path_template == path_template) route = &candidate;
    if (route == nullptr) throw BridgeError("This server has no route " + method + " " + path_template);
    Command& command = *route->command;

    Invocation invocation;
    try {
        invocation.args = http::mergeArgs(state_.http_schemas.at(&command), path_params, {}, args);
    } catch (const schema::ValidationError& error) {
        throw BridgeError(std::string("Invalid request: ") + error.what());
    }
    if (state_.options.principal_for) {
        try {
            invocation.principal_json =
                state_.options.principal_for(command.decl(), identity.credential, identity.caller);
        } catch (const CommandError& error) {
            throw BridgeError(error.status() == CDX_E_UNAUTHENTICATED ? authErrorMessage(error.what()) : error.what());
        }
    }
    const Outcome outcome = command.run(invocation);
    const http::HttpReply reply = http::replyFor(command.decl(), outcome);
    if (!outcome.ok() || reply.status >= 400) {
        const json& error = reply.body.is_object() ? reply.body.value("error", json()) : json();
        throw BridgeError(error.is_string() ? error.get<std::string>() : outcome.message);
    }
    return reply.body;
}

}  // namespace clipdex::realtime

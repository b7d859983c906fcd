// How a realtime connection acts on behalf of its client: the identity taken from the handshake request, and
// request/response events (search_request, get_video_details, ...) run as the very commands the HTTP routes
// run, with the same argument validation and the same per-command principal check.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <map>
#include <optional>
#include <string>

#include "auth/identity.hpp"
#include "core/json.hpp"
#include "jobs/progress_feed.hpp"

namespace clipdex::http {
struct ServerState;
}

namespace clipdex::realtime {

/// Who is on the other end of a socket. The credential is kept (in memory only, never logged) so each event
/// is authorised per command exactly as an HTTP request carrying it would be.
struct ClientIdentity {
    std::optional<auth::Credential> credential;
    auth::Caller caller;
    std::string principal_json;
    jobs::Viewer viewer;
};

/// The identity of a handshake request, checked as for a command that requires authentication. Throws
/// CommandError (CDX_E_UNAUTHENTICATED in team mode without a valid credential).
ClientIdentity identify(http::ServerState& state, const Poco::Net::HTTPServerRequest& request);

/// "Authentication required…" / "Authentication error: …": the prefixes the Premiere panel treats as auth errors.
std::string authErrorMessage(const std::string& message);

/// Thrown when a routed command refuses or fails; what() is the message a client may see.
class BridgeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CommandBridge {
public:
    explicit CommandBridge(http::ServerState& state) : state_(state) {}

    /// The identity of `credential`, checked as for a command that requires authentication. Throws CommandError.
    ClientIdentity identify(std::optional<auth::Credential> credential, auth::Caller caller) const;

    /// Runs the command routed at `method path_template` (e.g. "GET", "/api/clips/{clip_id}") with `args` as
    /// its JSON arguments, and returns the JSON body an HTTP client would have received. Throws BridgeError
    /// when the route does not exist, the arguments are invalid, the identity is refused or the command fails.
    json call(const std::string& method, const std::string& path_template,
              const std::map<std::string, std::string>& path_params, const json& args,
              const ClientIdentity& identity) const;

private:
    http::ServerState& state_;
};

}  // namespace clipdex::realtime

// The Poco side of a request: route, build arguments, run the command, reply with an envelope.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <cstdint>
#include <optional>
#include <string>

#include "http/server_state.hpp"

namespace clipdex::http {

/// One per request (Poco creates a handler per request), so per-request flags can be members.
class RequestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit RequestHandler(ServerState& state) : state_(state) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    /// Returns the status sent. Throws HttpError for requests rejected before a command runs.
    int dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                 const std::string& request_id);
    /// The catalog version to cache a reply of this command against, or nullopt when it is not cached.
    std::optional<std::uint64_t> cacheableVersion(const CommandDecl& decl, const std::string& method);
    /// Replies from the response cache. Returns the status sent.
    int sendCached(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const CachedReply& reply);
    /// Sends a failure reply unless a reply already went out; never throws. Returns the status.
    int replyWithError(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, int status,
                       const std::string& code, const std::string& message, const json& extra, bool body_left_unread);

    ServerState& state_;
    std::string log_path_;      // the path without the query (which may carry user data)
    bool body_read_ = false;    // false while request bytes may still be waiting in the connection
    bool client_gone_ = false;  // the client closed its side while the command ran
};

class RequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestHandlerFactory(ServerState& state) : state_(state) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RequestHandler(state_);
    }

private:
    ServerState& state_;
};

}  // namespace clipdex::http

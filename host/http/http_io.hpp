// Reading request bodies and writing responses over Poco, including the CORS headers every reply carries.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace clipdex::http {

/// Echoes the request's Origin (or "*"), with credentials allowed: the CEP panel and browser clients
/// both send credentials, and "*" is invalid for credentialed requests (inventory §5.1, §7.6).
void applyCors(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

/// "GET, OPTIONS" for the Allow header.
std::string allowHeader(const std::vector<std::string>& methods);

/// Both write and flush before returning; false when the connection broke while sending.
bool sendJson(Poco::Net::HTTPServerResponse& response, int status, const json& body);
/// Sends the response's status line and headers and then `body` and `tail` (nothing of them for HEAD), in one
/// send when the request came through Poco's server, with the Content-Length of both. Set the status and
/// Content-Type first. False when the connection broke. Poco's response.sent() stays false after a direct
/// send, so nothing else may be sent for the request.
bool sendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, std::string_view body,
               std::string_view tail = {});
/// sendWhole for a JSON body already serialised (`tail` is appended to it), with the status and Content-Type.
bool sendJsonReply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, int status,
                   std::string_view body, std::string_view tail = {});
bool sendNoContent(Poco::Net::HTTPServerResponse& response);

/// Reads the whole body, refusing more than max_bytes: a declared Content-Length above the cap is rejected
/// before reading anything, a chunked body as soon as it passes the cap. Throws HttpError (413, or 400
/// for a truncated body). Returns "" for requests without a body.
std::string readBody(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes);

/// Parses a POST/PUT/PATCH body: null when empty, else a JSON object. Throws HttpError 400
/// INVALID_CONTENT_TYPE or INVALID_JSON.
json parseJsonBody(const Poco::Net::HTTPServerRequest& request, const std::string& body);

/// After replying to a request whose body was left unread: reads and drops a bounded amount of it, briefly,
/// so closing the socket does not send a TCP reset that could destroy the reply before the client reads it.
void discardUnreadBody(Poco::Net::HTTPServerRequest& request);

}  // namespace clipdex::http

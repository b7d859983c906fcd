// The original tool's response envelope (inventory §5.1), so existing panels read clipdex unchanged:
//   success → {"success": true, "message": "Success", "timestamp": <unix float>, "data": <payload>}
//   error   → {"success": false, "error": "<message>", "code": "<CODE>", "timestamp": <unix float>}
#pragma once

#include <string>
#include <string_view>

#include "core/command.hpp"
#include "core/json.hpp"

namespace clipdex::http {

/// Seconds since the Unix epoch with sub-second precision, as Python's time.time().
double unixTimestamp();

/// `data` is omitted when null, as the original did for payload None.
json successEnvelope(json data, std::string_view message = "Success");
/// `extra` keys (e.g. "field") are added next to the standard ones.
json errorEnvelope(std::string_view message, std::string_view code, const json& extra = json::object());

/// Whether a command's responses are enveloped; `"output": {"http_envelope": false}` opts out for the few
/// legacy routes the old panel reads unwrapped.
bool usesEnvelope(const CommandDecl& decl);

struct HttpReply {
    int status = 200;
    json body;
};

/// The HTTP reply for a finished command: status from httpStatusFor, the error code from
/// details["code"] when it is a string (else errorCodeFor), streamed records as data or "records".
HttpReply replyFor(const CommandDecl& decl, const Outcome& outcome);

}  // namespace clipdex::http

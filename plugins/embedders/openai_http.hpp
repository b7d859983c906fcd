// One JSON POST over Poco (http or https), with a timeout. Transport failures come back as values so the
// caller's retry loop can tell them from HTTP statuses. The API key never appears in anything returned.
#pragma once

#include <optional>
#include <string>

namespace embedders {

struct HttpAnswer {
    int status = 0;  // 0 when the request never got an answer (see `failure`)
    std::string body;
    std::optional<double> retry_after;  // seconds, from a Retry-After header
    std::string failure;                // transport error: connection refused, timeout, TLS, ...
    bool timed_out = false;
};

/// POSTs `body` as application/json to `url` (http:// or https://), with "Authorization: Bearer <key>"
/// when `api_key` is not empty. `timeout_ms` bounds connecting, sending and every receive.
HttpAnswer postJson(const std::string& url, const std::string& body, const std::string& api_key, int timeout_ms);

}  // namespace embedders

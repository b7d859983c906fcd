// A loopback HTTP client for the suites that exercise `clipdex serve` routes: one request per connection.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "http/http_server.hpp"
#include "runtime/runtime.hpp"

namespace clipdex::test {

struct HttpReply {
    int status = 0;
    json body;                                   // the body parsed as JSON (discarded when it is not JSON)
    std::string text;                            // the raw body
    std::map<std::string, std::string> headers;  // last value of each header
    std::vector<std::string> cookies;            // every Set-Cookie value
};

/// Sends `method path` to 127.0.0.1:`port`; a non-null `body` goes as JSON. Throws on connection failures.
HttpReply httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                      const json& body = nullptr, const std::map<std::string, std::string>& headers = {});

/// GET `path` with optional headers.
HttpReply httpGet(std::uint16_t port, const std::string& path, const std::map<std::string, std::string>& headers = {});

/// The same with a raw body: with a `content_type`, Content-Type and Content-Length are sent; the reply's
/// `body` is parsed only when it is JSON.
HttpReply httpRequestText(std::uint16_t port, const std::string& method, const std::string& path,
                          const std::string& text, const std::string& content_type,
                          const std::map<std::string, std::string>& headers = {});

/// A started loopback server over every command of `runtime`, on a port the OS picks (server->port()).
std::unique_ptr<http::HttpServer> startServer(Runtime& runtime);
/// The catalog's change counter, as `clipdex serve` wires it: replies of "cache": "catalog" routes are then
/// kept in memory, so the suites that use it also check that no reply outlives a catalog change.
std::function<std::optional<std::uint64_t>()> catalogVersionOf(Runtime& runtime);

/// Options for a loopback server on a free port whose callers are identified like `clipdex serve` does it:
/// through `runtime`'s auth mode and provider. Add a feed, file roots or intervals, then construct the server.
http::ServerOptions identifiedServerOptions(Runtime& runtime);

/// A Runtime over the bundled plugins with its catalog at `catalog`, in auth mode `mode` ("local" | "team").
std::unique_ptr<Runtime> runtimeInMode(const std::filesystem::path& catalog, const char* mode);

}  // namespace clipdex::test

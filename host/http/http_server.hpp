// `clipdex serve`: a Poco HTTPServer whose routes are generated from command declarations.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/identity.hpp"
#include "core/command.hpp"
#include "core/json.hpp"
#include "jobs/progress_feed.hpp"
#include "realtime/realtime_hub.hpp"

namespace clipdex::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8000;             // 0 picks a free port (tests)
    std::size_t max_body_bytes = 1 << 20;  // larger bodies get 413
    int max_threads = 16;
    std::string version;  // reported by /api/health and the OpenAPI document
    // Commands declaring "response": "file" may only name files under these directories (the data directory).
    std::vector<std::filesystem::path> file_roots;
    // The principal of each call (auth/identity.hpp); throws CommandError to refuse. Unset: the local admin.
    std::function<std::string(const CommandDecl&, const std::optional<auth::Credential>&, const auth::Caller&)>
        principal_for;
    // Catalog::changeCounter, for answering repeats of "cache": "catalog" routes from memory; unset or a
    // nullopt answer: never cached. response_cache_bytes bounds that memory (0: off).
    std::function<std::optional<std::uint64_t>()> catalog_version;
    std::size_t response_cache_bytes = 64u << 20;
    // Live job progress for /api/ws and /socket.io/; unset: those endpoints answer 503.
    std::shared_ptr<jobs::ProgressFeed> progress_feed;
    // Heartbeat, Engine.IO ping and connection limits of those endpoints (tests shorten the intervals).
    realtime::RealtimeOptions realtime;
};

class HttpServer {
public:
    HttpServer(std::vector<Command*> commands, ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and starts serving on background threads. Throws std::runtime_error naming host:port on failure.
    void start();
    /// The bound port (useful when ServerOptions::port was 0).
    std::uint16_t port() const;
    /// Stops accepting, lets in-flight requests finish (bounded wait), then returns.
    void stop();
    /// The OpenAPI 3.0 document generated from the declarations.
    json openApi() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Blocks until SIGTERM or SIGINT, then stops the server gracefully. Returns the exit code.
int serveUntilSignal(HttpServer& server);

}  // namespace clipdex::http

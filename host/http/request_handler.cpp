#include "http/request_handler.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "core/schema.hpp"
#include "core/status.hpp"
#include "http/envelope.hpp"
#include "http/file_reply.hpp"
#include "http/http_error.hpp"
#include "http/http_io.hpp"
#include "http/request_args.hpp"
#include "http/response_cache.hpp"
#include "http/session_cookie.hpp"

namespace clipdex::http {
namespace {

constexpr std::size_t kMaxClientRequestId = 128;
constexpr int kClientClosedRequest = 499;  // nginx's convention, for the log line only

bool takesBody(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH";
}

bool hasBody(const Poco::Net::HTTPServerRequest& request) {
    try {
        return request.getChunkedTransferEncoding() || (request.hasContentLength() && request.getContentLength64() > 0);
    } catch (...) {
        return true;  // an unparsable Content-Length: assume the worst
    }
}

/// A random (version 4) UUID for correlating log lines. Not a secret, so a per-thread generator seeded once
/// does, rather than a read of the system's entropy device per request.
std::string freshRequestId() {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    const std::uint64_t high = (generator() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
    const std::uint64_t low = (generator() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF, high & 0xFFFF,
                       low >> 48, low & 0xFFFFFFFFFFFFULL);
}

/// The client's X-Request-Id when it is a sane token (so it can correlate logs), else a fresh UUID.
std::string requestIdFor(const Poco::Net::HTTPServerRequest& request) {
    const std::string given = request.get("X-Request-Id", "");
    const bool sane = !given.empty() && given.size() <= kMaxClientRequestId &&
                      std::all_of(given.begin(), given.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    return sane ? given : freshRequestId();
}

}  // namespace

void RequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto started = std::chrono::steady_clock::now();
    ServerState::InFlight in_flight(state_);
    const std::string request_id = requestIdFor(request);
    response.set("X-Request-Id", request_id);
    applyCors(request, response);
    log_path_ = request.getURI().substr(0, request.getURI().find('?'));

    int status = 500;
    try {
        status = dispatch(request, response, request_id);
    } catch (const HttpError& error) {
        status = replyWithError(request, response, error.status(), error.code(), error.what(), error.extra(),
                                error.bodyLeftUnread());
    } catch (const std::exception& error) {
        if (client_gone_) {
            spdlog::debug("http: {} {} [{}]: client gone before the reply: {}", request.getMethod(), log_path_,
                          request_id, error.what());
            status = kClientClosedRequest;
        } else {
            // Command::run never throws, so this is the router or the connection; keep serving either way.
            spdlog::error("http: {} {} failed [{}]: {}", request.getMethod(), log_path_, request_id, error.what());
            status = replyWithError(request, response, 500, "INTERNAL_ERROR",
                                    std::string("Internal server error: ") + error.what(), json::object(), false);
        }
    } catch (...) {
        spdlog::error("http: {} {} failed [{}]: unknown exception", request.getMethod(), log_path_, request_id);
        status =
            replyWithError(request, response, 500, "INTERNAL_ERROR", "Internal server error", json::object(), false);
    }

    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("http: {} {} -> {} in {:.1f} ms [{}]", request.getMethod(), log_path_, status, ms, request_id);
}

int RequestHandler::dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                             const std::string& request_id) {
    const std::string& method = request.getMethod();
    const auto target = splitTarget(request.getURI());
    if (!target) throw HttpError(400, "INVALID_REQUEST", "Malformed request path (bad percent-encoding?)");
    log_path_ = target->path;
    if (state_.stopping) {
        response.setKeepAlive(false);
        throw HttpError(503, "SERVER_STOPPING", "The server is shutting down");
    }

    const RouteMatch match = state_.routes.match(method, target->segments);
    if (method == "OPTIONS" && !match.allowed_methods.empty()) {  // CORS preflight
        response.set("Allow", allowHeader(match.allowed_methods));
        sendNoContent(response);
        return 204;
    }
    if (match.kind == RouteMatch::Kind::NotFound)
        throw HttpError(404, "NOT_FOUND", "No route for " + method + " " + target->path);
    if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
        response.set("Allow", allowHeader(match.allowed_methods));
        throw HttpError(405, "METHOD_NOT_ALLOWED",
                        "Method " + method + " is not allowed on " + target->path +
                            " (allowed: " + allowHeader(match.allowed_methods) + ")");
    }

    Command& command = *match.route->command;
    const std::string raw_body = readBody(request, state_.options.max_body_bytes);
    body_read_ = true;

    Invocation invocation;
    invocation.request_id = request_id;
    // Identity before arguments: a caller without one learns nothing about what a route accepts.
    if (state_.options.principal_for) {
        try {
            invocation.principal_json =
                state_.options.principal_for(command.decl(), credentialFrom(request),
                                             auth::Caller{"http", request.clientAddress().host().toString()});
        } catch (const CommandError& error) {
            const int status = httpStatusFor(error.status());
            throw HttpError(status, error.details().value("code", std::string(errorCodeFor(error.status()))),
                            error.what());
        }
    }

    // A repeat of a cacheable GET by the same caller, with nothing committed to the catalog since.
    const std::optional<std::uint64_t> catalog_version = cacheableVersion(command.decl(), method);
    std::string cache_key;
    if (catalog_version) {
        cache_key = ResponseCache::keyFor(method, request.getURI(), invocation.principal_json);
        if (const auto hit = state_.cache.find(cache_key, *catalog_version)) {
            response.set("X-Clipdex-Cache", "hit");
            return sendCached(request, response, *hit);
        }
        response.set("X-Clipdex-Cache", "miss");
    }

    // Other methods may carry a body too; it was read (keeping the connection usable) and is ignored.
    const json body = takesBody(method) ? parseJsonBody(request, raw_body) : json(nullptr);
    const auto query = parseQuery(target->raw_query);
    if (!query) throw HttpError(400, "INVALID_REQUEST", "Malformed query string (bad percent-encoding?)");
    try {
        invocation.args = mergeArgs(state_.http_schemas.at(&command), match.path_params, *query, body);
    } catch (const schema::ValidationError& error) {
        throw HttpError(400, "VALIDATION_ERROR", error.what(),
                        error.field().empty() ? json::object() : json{{"field", error.field()}});
    }

    Outcome outcome;
    {
        std::unique_ptr<DisconnectWatch::Registration> watching;
        if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request))
            watching = state_.disconnects.watch(impl->socket().impl()->sockfd(), invocation.cancel);
        outcome = command.run(invocation);
        // A FIN may also be a client that only half-closed after sending (legal, and Poco's client does it
        // for a POST without Content-Length), so the reply is still attempted; only its failure is expected.
        client_gone_ = watching && watching->clientGone();
    }
    if (!outcome.ok() && outcome.status != CDX_E_INVALID_ARGUMENT && outcome.status != CDX_E_NOT_FOUND)
        spdlog::warn("http: {} {} [{}]: command {} failed: {}", method, target->path, request_id, command.decl().id,
                     outcome.message);

    if (outcome.ok() && command.decl().http_response == "file") {
        if (catalog_version)
            state_.cache.store(cache_key, *catalog_version,
                               std::make_shared<const CachedReply>(CachedReply{200, "", false, outcome.result}));
        if (state_.stopping) response.setKeepAlive(false);
        return sendFileReply(request, response, outcome.result, state_.options.file_roots);
    }
    if (outcome.ok() && command.decl().session == "set" && outcome.result.is_object() &&
        outcome.result.contains("session")) {
        setSessionCookie(response, outcome.result["session"]);
        // The token travels only in the HttpOnly cookie: a page script could read it from the body. Clients
        // without a cookie jar read Set-Cookie, or use an API key.
        if (outcome.result["session"].is_object()) outcome.result["session"].erase("token");
    }
    if (outcome.ok() && command.decl().session == "clear") clearSessionCookie(response);
    HttpReply reply = replyFor(command.decl(), outcome);
    if (state_.stopping) response.setKeepAlive(false);  // let the client reconnect elsewhere, not queue here
    bool sent = false;
    if (catalog_version && outcome.ok()) {
        const auto cached = cacheableReply(reply.status, std::move(reply.body));
        state_.cache.store(cache_key, *catalog_version, cached);
        sent = sendStamped(request, response, *cached);
    } else {
        sent = sendJsonReply(request, response, reply.status, dumpJson(reply.body));
    }
    if (!sent)
        spdlog::debug("http: {} {} [{}]: the connection broke while sending the reply", method, target->path,
                      request_id);
    return reply.status;
}

std::optional<std::uint64_t> RequestHandler::cacheableVersion(const CommandDecl& decl, const std::string& method) {
    if (decl.http_cache != "catalog" || method != "GET" || !state_.cache.enabled() || !state_.options.catalog_version)
        return std::nullopt;
    try {
        return state_.options.catalog_version();
    } catch (const std::exception& error) {
        // Uncached is always correct, only slower.
        spdlog::warn("http: cannot tell whether the catalog changed, so replies are not cached: {}", error.what());
        return std::nullopt;
    }
}

int RequestHandler::sendCached(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                               const CachedReply& reply) {
    if (state_.stopping) response.setKeepAlive(false);
    if (!reply.file.is_null()) return sendFileReply(request, response, reply.file, state_.options.file_roots);
    if (!sendStamped(request, response, reply))
        spdlog::debug("http: {} {}: the connection broke while sending a cached reply", request.getMethod(), log_path_);
    return reply.status;
}

int RequestHandler::replyWithError(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                   int status, const std::string& code, const std::string& message, const json& extra,
                                   bool body_left_unread) {
    if (response.sent()) return status;  // too late to change anything; Poco closes the broken connection
    try {
        // Unread body bytes would be parsed as the next request on a kept-alive connection.
        const bool unread = body_left_unread || (!body_read_ && hasBody(request));
        if (unread) response.setKeepAlive(false);
        sendJson(response, status, errorEnvelope(message, code, extra));
        if (unread) discardUnreadBody(request);
    } catch (const std::exception& error) {
        spdlog::debug("http: could not send the {} reply: {}", status, error.what());
    }
    return status;
}

}  // namespace clipdex::http

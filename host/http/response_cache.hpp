// Replies of routes declared "cache": "catalog", kept in memory while the catalog is unchanged.
//
// Such a route's reply is a function of its request target, its caller and the catalog, so a repeat of the
// same GET by the same caller may be answered without running the command, as long as nothing committed to
// the catalog since (Catalog::changeCounter, which also sees other processes' commits). The panel polls the
// same listings and clips over and over; this is what makes those polls cheap. docs/service/http-cache.md.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/json.hpp"

namespace clipdex::http {

struct CachedReply {
    int status = 200;
    // JSON routes: the body's text. An enveloped body is kept without its "timestamp", which every reply
    // gets afresh (stamp), so a cached reply is never dated earlier than it was sent.
    std::string body;
    bool stamp = false;
    // "file" routes: the command's result ({"path", "content_type", ...}); the file itself is checked on
    // every reply, so a changed file is never served from here.
    json file;
};

class ResponseCache {
public:
    /// Keeps at most about max_bytes of replies; 0 disables the cache. Set before serving.
    void setBudget(std::size_t max_bytes) noexcept { max_bytes_ = max_bytes; }

    bool enabled() const noexcept { return max_bytes_ > 0; }
    /// The reply stored under key for exactly this catalog version, or null.
    std::shared_ptr<const CachedReply> find(const std::string& key, std::uint64_t version);
    /// Stores a reply computed from the catalog at `version`, read before the command ran: a commit racing
    /// the command makes the version stale, never the reply wrong. Replies of an older version are dropped.
    void store(const std::string& key, std::uint64_t version, std::shared_ptr<const CachedReply> reply);

    /// The key of a request: method, target (path and query, as sent) and the caller's principal.
    static std::string keyFor(const std::string& method, const std::string& target, const std::string& principal);

private:
    struct Entry {
        std::string key;
        std::shared_ptr<const CachedReply> reply;
        std::size_t bytes = 0;
    };
    void evictOverBudget();

    std::size_t max_bytes_ = 0;
    std::mutex mutex_;
    std::optional<std::uint64_t> version_;  // of the catalog the kept replies describe; none kept yet
    std::size_t bytes_ = 0;
    std::list<Entry> recent_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

/// Sends a cached JSON reply: its body, with a fresh "timestamp" when it is stamped. False when the connection
/// broke while sending.
bool sendStamped(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                 const CachedReply& reply);

/// A reply ready for the cache, from the body about to be sent, without the envelope's timestamp (see
/// CachedReply::stamp). Store it before sending it with sendStamped(): the client may ask again the moment the
/// reply arrives.
std::shared_ptr<const CachedReply> cacheableReply(int status, json body);

}  // namespace clipdex::http

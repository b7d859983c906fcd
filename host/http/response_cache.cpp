#include "http/response_cache.hpp"

#include <fmt/format.h>

#include "http/envelope.hpp"
#include "http/http_io.hpp"

namespace clipdex::http {

std::string ResponseCache::keyFor(const std::string& method, const std::string& target, const std::string& principal) {
    std::string key;
    key.reserve(method.size() + target.size() + principal.size() + 2);
    // Neither a method nor a request target contains a newline, so the parts cannot run into each other.
    key.append(method).append(1, '\n').append(target).append(1, '\n').append(principal);
    return key;
}

std::shared_ptr<const CachedReply> ResponseCache::find(const std::string& key, std::uint64_t version) {
    std::lock_guard lock(mutex_);
    if (version_ != version) return nullptr;
    const auto found = index_.find(key);
    if (found == index_.end()) return nullptr;
    recent_.splice(recent_.begin(), recent_, found->second);
    return found->second->reply;
}

void ResponseCache::store(const std::string& key, std::uint64_t version, std::shared_ptr<const CachedReply> reply) {
    const std::size_t bytes = key.size() * 2 + reply->body.size() + sizeof(Entry) + 64;
    if (!enabled() || bytes > max_bytes_ / 4) return;  // one huge listing must not flush everything else
    std::lock_guard lock(mutex_);
    if (version_ && version < *version_) return;  // computed before a commit the cache already knows of
    if (version_ != version) {
        // Everything kept describes an older catalog.
        index_.clear();
        recent_.clear();
        bytes_ = 0;
        version_ = version;
    }
    if (const auto found = index_.find(key); found != index_.end()) {
        bytes_ -= found->second->bytes;
        recent_.erase(found->second);
        index_.erase(found);
    }
    recent_.push_front(Entry{key, std::move(reply), bytes});
    index_.emplace(key, recent_.begin());
    bytes_ += bytes;
    evictOverBudget();
}

void ResponseCache::evictOverBudget() {
    while (bytes_ > max_bytes_ && !recent_.empty()) {
        bytes_ -= recent_.back().bytes;
        index_.erase(recent_.back().key);
        recent_.pop_back();
    }
}

bool sendStamped(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                 const CachedReply& reply) {
    if (!reply.stamp) return sendJsonReply(request, response, reply.status, reply.body);
    // The body is an object without "timestamp": send all but its closing brace, then the stamp and the brace.
    const std::string_view head(reply.body.data(), reply.body.size() - 1);
    const std::string tail = fmt::format("{}\"timestamp\":{:.6f}}}", head.size() > 1 ? "," : "", unixTimestamp());
    return sendJsonReply(request, response, reply.status, head, tail);
}

std::shared_ptr<const CachedReply> cacheableReply(int status, json body) {
    auto reply = std::make_shared<CachedReply>();
    reply->status = status;
    reply->stamp = body.is_object() && body.erase("timestamp") > 0;
    reply->body = dumpJson(body);
    return reply;
}

}  // namespace clipdex::http

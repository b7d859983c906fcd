#include "http/file_reply.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>

#include "http/http_error.hpp"

namespace clipdex::http {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kWholeReadLimit = 8u << 20;  // larger files are streamed

bool isWithin(const fs::path& path, const fs::path& root) {
    auto [root_end, path_at] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    return root_end == root.end();
}

/// Seconds since the epoch of a file time, for Last-Modified (whole seconds, as HTTP dates are).
std::time_t secondsOf(fs::file_time_type written) {
    const auto system = std::chrono::file_clock::to_sys(written);
    return std::chrono::system_clock::to_time_t(
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(system));
}

/// True when one of the If-None-Match entities matches (weak comparison, as RFC 9110 asks for GET).
bool etagMatches(const std::string& header, const std::string& etag) {
    if (header.find('*') != std::string::npos) return true;
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find(',', start);
        if (end == std::string::npos) end = header.size();
        std::string item = header.substr(start, end - start);
        const auto first = item.find_first_not_of(" \t");
        const auto last = item.find_last_not_of(" \t");
        item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
        if (item.rfind("W/", 0) == 0) item = item.substr(2);
        if (item == etag) return true;
        start = end + 1;
    }
    return false;
}

/// The canonical form of a root directory. Roots are the server's few fixed directories, so each is resolved
/// once rather than a system call per path component on every request.
fs::path canonicalRoot(const fs::path& root) {
    static std::mutex mutex;
    static std::map<fs::path, fs::path> resolved;
    std::lock_guard lock(mutex);
    const auto found = resolved.find(root);
    if (found != resolved.end()) return found->second;
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(root, error);
    if (error) return {};  // not remembered: the directory may appear later
    return resolved.emplace(root, std::move(canonical)).first->second;
}

}  // namespace

bool insideRoots(const fs::path& path, const std::vector<fs::path>& roots) {
    std::error_code error;
    const fs::path resolved = fs::weakly_canonical(path, error);
    if (error) return false;
    for (const fs::path& root : roots) {
        const fs::path canonical_root = canonicalRoot(root);
        if (!canonical_root.empty() && isWithin(resolved, canonical_root)) return true;
    }
    return false;
}

int sendFileReply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const json& result,
                  const std::vector<fs::path>& roots) {
    if (!result.is_object() || !result.contains("path") || !result["path"].is_string())
        throw HttpError(500, "INTERNAL_ERROR", "the command answered without a file path");
    const fs::path path = result["path"].get<std::string>();
    if (!insideRoots(path, roots))
        throw HttpError(403, "FORBIDDEN", "the requested file is outside the data directory");
    std::error_code error;
    const auto status = fs::status(path, error);
    if (error || !fs::is_regular_file(status)) throw HttpError(404, "NOT_FOUND", "File not found");
    const auto size = fs::file_size(path, error);
    const auto written = fs::last_write_time(path, error);
    if (error) throw HttpError(404, "NOT_FOUND", "File not found");

    const auto written_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::file_clock::to_sys(written).time_since_epoch())
                                .count();
    const std::string etag = fmt::format("\"{:x}-{:x}\"", size, written_ns);
    const Poco::Timestamp modified = Poco::Timestamp::fromEpochTime(secondsOf(written));
    const std::string last_modified = Poco::DateTimeFormatter::format(modified, Poco::DateTimeFormat::HTTP_FORMAT);
    const int max_age = result.value("max_age_seconds", 3600);
    response.set("ETag", etag);
    response.set("Last-Modified", last_modified);
    // private: once accounts exist, a thumbnail is the owner's; shared caches must not keep it.
    response.set("Cache-Control", "private, max-age=" + std::to_string(max_age));

    bool not_modified = false;
    if (request.has("If-None-Match")) {
        not_modified = etagMatches(request.get("If-None-Match"), etag);
    } else if (request.has("If-Modified-Since")) {
        Poco::DateTime since;
        int zone = 0;
        if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, request.get("If-Modified-Since"), since,
                                           zone))
            not_modified = modified <= since.timestamp() - Poco::Timespan(zone, 0).totalMicroseconds();
    }
    if (not_modified) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.setContentLength(0);
        response.send().flush();
        return 304;
    }

    std::ifstream file(path, std::ios::binary);
    if (!file) throw HttpError(404, "NOT_FOUND", "File not found");
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(result.value("content_type", std::string("application/octet-stream")));
    if (request.getMethod() == "HEAD") {
        response.setContentLength64(static_cast<Poco::Int64>(size));
        response.send().flush();
        return 200;
    }
    if (size <= kWholeReadLimit) {
        // Thumbnails and the like: one read and one send, instead of a copy through Poco's small stream buffer
        // with a poll before every chunk.
        std::string body(size, '\0');
        if (!file.read(body.data(), static_cast<std::streamsize>(size)))
            throw HttpError(500, "READ_ERROR", "the file could not be read");
        response.sendBuffer(body.data(), body.size());
        return 200;
    }
    response.setContentLength64(static_cast<Poco::Int64>(size));
    std::ostream& out = response.send();
    out << file.rdbuf();
    out.flush();
    return 200;
}

}  // namespace clipdex::http

#include "http/file_reply.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "http/http_error.hpp"
#include "http/http_io.hpp"

namespace clipdex::http {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kWholeReadLimit = 8u << 20;  // larger files are streamed

bool isWithin(const fs::path& path, const fs::path& root) {
    auto [root_end, path_at] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    return root_end == root.end();
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

namespace {

/// What a reply needs of a file, taken at one moment: validators, and the bytes of a small file.
struct FileSnapshot {
    std::uintmax_t size = 0;
    std::int64_t written_ns = 0;  // modification time, nanoseconds since the epoch
    std::string etag;
    std::string last_modified;
    Poco::Timestamp modified;
    std::shared_ptr<const std::string> bytes;  // null for files streamed from disk
};

/// Snapshots of recently sent files, so a thumbnail asked for again costs one stat() rather than resolving
/// its path, three metadata calls and a read. An entry is used only while the file's size and modification
/// time are unchanged; it was checked against the roots when taken, so a hit skips that check (moving a
/// directory of the data directory aside for a symlink needs write access to the data directory anyway).
class RecentFiles {
public:
    std::optional<FileSnapshot> find(const std::string& path, const struct stat& now) {
        std::lock_guard lock(mutex_);
        const auto found = entries_.find(path);
        if (found == entries_.end()) return std::nullopt;
        const FileSnapshot& kept = found->second;
        if (kept.size != static_cast<std::uintmax_t>(now.st_size) || kept.written_ns != nanosecondsOf(now))
            return std::nullopt;
        return kept;
    }
    void keep(const std::string& path, const FileSnapshot& snapshot) {
        if (!snapshot.bytes) return;
        std::lock_guard lock(mutex_);
        // Wholesale rather than LRU: the set of hot thumbnails is small, and this stays O(1) and simple.
        if (entries_.size() >= kMaxFiles || bytes_ + snapshot.size > kMaxBytes) {
            entries_.clear();
            bytes_ = 0;
        }
        const auto [at, inserted] = entries_.try_emplace(path, snapshot);
        if (!inserted) {
            bytes_ -= at->second.size;
            at->second = snapshot;
        }
        bytes_ += snapshot.size;
    }
    static std::int64_t nanosecondsOf(const struct stat& info) {
        return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
    }

private:
    static constexpr std::size_t kMaxFiles = 4096;
    static constexpr std::uintmax_t kMaxBytes = 64u << 20;
    std::mutex mutex_;
    std::unordered_map<std::string, FileSnapshot> entries_;
    std::uintmax_t bytes_ = 0;
};

RecentFiles& recentFiles() {
    static RecentFiles files;
    return files;
}

FileSnapshot snapshotOf(const fs::path& path, const struct stat& info) {
    FileSnapshot snapshot;
    snapshot.size = static_cast<std::uintmax_t>(info.st_size);
    snapshot.written_ns = RecentFiles::nanosecondsOf(info);
    snapshot.etag = fmt::format("\"{:x}-{:x}\"", snapshot.size, snapshot.written_ns);
    snapshot.modified = Poco::Timestamp::fromEpochTime(info.st_mtim.tv_sec);  // whole seconds, as HTTP dates are
    snapshot.last_modified = Poco::DateTimeFormatter::format(snapshot.modified, Poco::DateTimeFormat::HTTP_FORMAT);
    if (snapshot.size <= kWholeReadLimit) {
        // Thumbnails and the like: one read and one send, instead of a copy through Poco's small stream buffer
        // with a poll before every chunk.
        std::ifstream file(path, std::ios::binary);
        auto bytes = std::make_shared<std::string>(snapshot.size, '\0');
        if (!file || !file.read(bytes->data(), static_cast<std::streamsize>(snapshot.size)))
            throw HttpError(404, "NOT_FOUND", "File not found");
        snapshot.bytes = std::move(bytes);
    }
    return snapshot;
}

bool notModified(const Poco::Net::HTTPServerRequest& request, const FileSnapshot& file) {
    if (request.has("If-None-Match")) return etagMatches(request.get("If-None-Match"), file.etag);
    if (!request.has("If-Modified-Since")) return false;
    Poco::DateTime since;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, request.get("If-Modified-Since"), since,
                                        zone))
        return false;
    return file.modified <= since.timestamp() - Poco::Timespan(zone, 0).totalMicroseconds();
}

}  // namespace

int sendFileReply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const json& result,
                  const std::vector<fs::path>& roots) {
    if (!result.is_object() || !result.contains("path") || !result["path"].is_string())
        throw HttpError(500, "INTERNAL_ERROR", "the command answered without a file path");
    const std::string& named = result["path"].get_ref<const std::string&>();
    struct stat info {};
    const bool exists = ::stat(named.c_str(), &info) == 0;
    std::optional<FileSnapshot> file = exists ? recentFiles().find(named, info) : std::nullopt;
    if (!file) {
        if (!insideRoots(named, roots))
            throw HttpError(403, "FORBIDDEN", "the requested file is outside the data directory");
        if (!exists || !S_ISREG(info.st_mode)) throw HttpError(404, "NOT_FOUND", "File not found");
        file = snapshotOf(named, info);
        recentFiles().keep(named, *file);
    }

    const int max_age = result.value("max_age_seconds", 3600);
    response.set("ETag", file->etag);
    response.set("Last-Modified", file->last_modified);
    // private: once accounts exist, a thumbnail is the owner's; shared caches must not keep it.
    response.set("Cache-Control", "private, max-age=" + std::to_string(max_age));
    if (notModified(request, *file)) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.setContentLength(0);
        response.send().flush();
        return 304;
    }

    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(result.value("content_type", std::string("application/octet-stream")));
    if (request.getMethod() == "HEAD") {
        response.setContentLength64(static_cast<Poco::Int64>(file->size));
        response.send().flush();
        return 200;
    }
    if (file->bytes) {
        sendWhole(request, response, *file->bytes);
        return 200;
    }
    std::ifstream stream(named, std::ios::binary);
    if (!stream) throw HttpError(404, "NOT_FOUND", "File not found");
    response.setContentLength64(static_cast<Poco::Int64>(file->size));
    std::ostream& out = response.send();
    out << stream.rdbuf();
    out.flush();
    return 200;
}

}  // namespace clipdex::http

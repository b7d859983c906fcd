// generate_checksum_step: streaming XXH3-128 of the file, with a quick size + mtime check that recognises
// a file already catalogued at the same path without reading it.
#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "common.hpp"

namespace library {
namespace {

using clipdex::Error;

constexpr std::size_t kBufferBytes = 4u << 20;  // 4 MiB per read()

struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

struct StateFree {
    void operator()(XXH3_state_t* state) const noexcept { XXH3_freeState(state); }
};

/// Canonical (big-endian) form, the same hex `xxhsum -H2` prints.
std::string toHex(XXH128_hash_t hash) {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, hash);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(32);
    for (unsigned char byte : canonical.digest) {
        text += kHex[byte >> 4];
        text += kHex[byte & 0x0F];
    }
    return text;
}

class ChecksumStep final : public clipdex::Step {
public:
    explicit ChecksumStep(const clipdex::Host& host) : host_(host) {}

    json run(const json& inputs, clipdex::Context& ctx) override {
        const FileFacts file = fileFacts(inputs);
        json out = {{"checksum_algorithm", "xxh3-128"}, {"file_name", file.name}};
        if (!forceRequested(inputs)) {
            if (json known = quickCheck(file, ctx); !known.is_null()) {
                out["checksum"] = known.at("file_checksum");
                out["file_size_bytes"] = file.size;
                out["unchanged_clip_id"] = known.at("id");
                return out;
            }
        }
        const auto [checksum, bytes] = hashFile(file, ctx);
        out["checksum"] = checksum;
        out["file_size_bytes"] = bytes;
        return out;
    }

private:
    json quickCheck(const FileFacts& file, const clipdex::Context& ctx) const {
        if (file.mtime.is_null()) return nullptr;
        const json rows = host_.catalog().query(
            ctx,
            "SELECT id, file_checksum FROM clips WHERE local_path = :path AND file_size_bytes = :size "
            "AND file_mtime = :mtime AND user_id = :owner AND file_checksum IS NOT NULL LIMIT 1",
            {{"path", file.path}, {"size", file.size}, {"mtime", file.mtime}, {"owner", ownerOf(ctx)}});
        return rows.empty() ? json(nullptr) : rows.at(0);
    }

    std::pair<std::string, std::int64_t> hashFile(const FileFacts& file, const clipdex::Context& ctx) {
        const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            const int error = errno;
            throw Error(error == ENOENT ? CDX_E_NOT_FOUND : CDX_E_IO,
                        "cannot open " + file.path + ": " + std::strerror(error));
        }
        FdCloser closer{fd};
        (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        std::unique_ptr<XXH3_state_t, StateFree> state(XXH3_createState());
        if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) throw Error(CDX_E_INTERNAL, "cannot start XXH3");
        buffer_.resize(kBufferBytes);

        const double total = file.size > 0 ? static_cast<double>(file.size) : 0.0;
        std::int64_t done = 0;
        auto last_report = std::chrono::steady_clock::now();
        for (;;) {
            ctx.throwIfCancelled();
            const ssize_t got = ::read(fd, buffer_.data(), buffer_.size());
            if (got < 0) {
                if (errno == EINTR) continue;
                throw Error(CDX_E_IO, "cannot read " + file.path + ": " + std::strerror(errno));
            }
            if (got == 0) break;
            XXH3_128bits_update(state.get(), buffer_.data(), static_cast<std::size_t>(got));
            done += got;
            const auto now = std::chrono::steady_clock::now();
            if (now - last_report >= std::chrono::milliseconds(100)) {
                last_report = now;
                ctx.progress(total > 0 ? std::min(1.0, static_cast<double>(done) / total) : -1.0, "checksum");
            }
        }
        ctx.progress(1.0, "checksum");
        return {toHex(XXH3_128bits_digest(state.get())), done};
    }

    const clipdex::Host& host_;
    std::vector<unsigned char> buffer_;  // reused across files; an instance never runs concurrently
};

}  // namespace

std::unique_ptr<clipdex::Step> makeChecksumStep(const clipdex::Host& host) {
    return std::make_unique<ChecksumStep>(host);
}

}  // namespace library

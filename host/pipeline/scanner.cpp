#include "pipeline/scanner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <mutex>
#include <set>
#include <vector>

namespace clipdex::pipeline {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

struct Walker {
    const ScanOptions& options;
    std::vector<ScanEntry>& out;
    std::set<fs::path> visited;
    std::size_t videos = 0;

    bool full() const { return options.limit != 0 && videos >= options.limit; }

    bool extensionListed(const fs::path& path) const {
        if (options.extensions.empty()) return true;
        std::string ext = lower(path.extension().string());
        if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
        return std::find(options.extensions.begin(), options.extensions.end(), ext) != options.extensions.end();
    }

    void file(const fs::path& path) {
        if (!extensionListed(path)) return;
        ScanEntry entry{path, "skipped", "", 0};
        std::error_code error;
        entry.size_bytes = fs::file_size(path, error);
        std::ifstream stream(path, std::ios::binary);
        if (error || !stream) {
            entry.status = "unreadable";
            entry.reason = "cannot read file: " + (error ? error.message() : std::string("permission denied"));
        } else {
            // An empty file is never a video, with or without a content probe.
            entry.reason = entry.size_bytes == 0 ? std::string("empty file")
                           : options.probe       ? options.probe(path)
                                                 : std::string();
            if (entry.reason.empty()) {
                entry.status = "video";
                ++videos;
            }
        }
        out.push_back(std::move(entry));
    }

    void directory(const fs::path& dir, bool top) {
        std::error_code error;
        const fs::path canonical = fs::canonical(dir, error);
        if (!error && !visited.insert(canonical).second) {
            out.push_back({dir, "skipped",
                           "symlink loop or second link: directory " + canonical.string() + " was already scanned", 0});
            return;
        }
        std::vector<fs::path> children;
        fs::directory_iterator it(dir, fs::directory_options::none, error);
        for (; !error && it != fs::directory_iterator(); it.increment(error)) children.push_back(it->path());
        if (error) {
            if (top) throw fs::filesystem_error("cannot read directory", dir, error);
            out.push_back({dir, "unreadable", "cannot read directory: " + error.message(), 0});
            return;
        }
        std::sort(children.begin(), children.end(),
                  [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
        for (const fs::path& child : children) {
            if (full()) return;
            const std::string name = child.filename().string();
            if (name.empty() || name[0] == '.') continue;
            std::error_code status_error;
            const fs::file_status link = fs::symlink_status(child, status_error);
            const fs::file_status target = fs::status(child, status_error);
            if (status_error) {
                if (fs::is_symlink(link) && extensionListed(child))
                    out.push_back({child, "unreadable", "broken symbolic link", 0});
                continue;
            }
            if (fs::is_directory(target)) {
                if (options.recursive) directory(child, false);
            } else if (fs::is_regular_file(target)) {
                file(child);
            }
        }
    }
};

}  // namespace

std::vector<std::string> parseFileTypes(std::string_view list) {
    std::vector<std::string> types;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        std::string part = lower(std::string(list.substr(start, comma - start)));
        part.erase(0, part.find_first_not_of(" \t."));
        part.erase(part.find_last_not_of(" \t") + 1);
        if (!part.empty() && std::find(types.begin(), types.end(), part) == types.end()) types.push_back(part);
        start = comma + 1;
    }
    return types;
}

std::function<std::string(const fs::path&)> contentProbe(const std::vector<Command*>& commands) {
    const std::vector<std::string> probe_path = {"media", "probe"};
    for (Command* command : commands) {
        if (command->decl().cli_path != probe_path) continue;
        return [command](const fs::path& file) -> std::string {
            Invocation call;
            call.args = json{{"path", file.string()}};
            const Outcome outcome = command->run(call);
            if (!outcome.ok()) return "cannot probe: " + outcome.message;
            return outcome.result.value("is_video", false) ? std::string()
                                                           : outcome.result.value("reason", std::string("not a video"));
        };
    }
    return {};
}

std::vector<ScanEntry> scanDirectory(const fs::path& root, const ScanOptions& options) {
    std::vector<ScanEntry> entries;
    Walker walker{options, entries, {}, 0};
    walker.directory(root, true);
    spdlog::debug("scanned {}: {} entries, {} videos", root.string(), entries.size(), walker.videos);
    return entries;
}

}  // namespace clipdex::pipeline

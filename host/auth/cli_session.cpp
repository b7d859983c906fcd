#include "auth/cli_session.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "util/paths.hpp"

namespace clipdex::auth {
namespace fs = std::filesystem;

fs::path cliSessionPath() {
    return paths::configDir() / "session.json";
}

std::optional<Credential> loadCliSession() {
    std::ifstream in(cliSessionPath());
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    const json stored = json::parse(text.str(), nullptr, false);
    if (!stored.is_object() || !stored.contains("token") || !stored["token"].is_string()) {
        spdlog::warn("ignoring {}: not a clipdex session file (run `clipdex auth login` again)",
                     cliSessionPath().string());
        return std::nullopt;
    }
    return Credential{stored["token"].get<std::string>(), "cli"};
}

void saveCliSession(const json& session) {
    const fs::path path = cliSessionPath();
    fs::create_directories(path.parent_path());
    const fs::path temporary = path.string() + ".tmp";
    // Created 0600 from the start: the token must never be readable by others, not even briefly.
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write the CLI session file " + temporary.string());
    const std::string text =
        dumpJson(json{{"token", session.value("token", "")}, {"expires_at", session.value("expires_at", json())}});
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::fchmod(fd, 0600);
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
        ::unlink(temporary.c_str());
        throw std::runtime_error("cannot write the CLI session file " + path.string());
    }
}

void clearCliSession() {
    std::error_code ignored;
    fs::remove(cliSessionPath(), ignored);
}

}  // namespace clipdex::auth

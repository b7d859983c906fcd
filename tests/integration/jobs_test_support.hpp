// Shared by the background-job suites: a real `clipdex serve` child process on a free port, generated clips,
// polling a job until it ends, and a walk that finds null numbers in progress documents.
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "support/http_client.hpp"
#include "support/test_support.hpp"

namespace clipdex::test::jobs {

inline std::uint16_t freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

/// `clipdex --plugin-dir <steps fixture> serve` with its XDG directories (and so its catalog) inside `home`.
class ServeProcess {
public:
    ServeProcess(const TempDir& home, std::map<std::string, std::string> extra_env = {}) : home_(home) {
        env_ = {{"HOME", home.path().string()},
                {"XDG_DATA_HOME", (home / "data").string()},
                {"XDG_CONFIG_HOME", (home / "config").string()},
                {"XDG_STATE_HOME", (home / "state").string()},
                {"XDG_CACHE_HOME", (home / "cache").string()},
                {"CLIPDEX_CATALOG", ""},
                {"CLIPDEX_PLUGIN_PATH", ""}};
        for (auto& [key, value] : extra_env) env_[key] = value;
    }
    ~ServeProcess() {
        if (handle_) kill(SIGKILL);
    }

    /// Starts the server and waits until /api/health answers; returns false when it never does.
    bool start() {
        port_ = freePort();
        handle_ = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch(requiredEnv("CLIPDEX_BIN"),
                                  {"--log-level", "warn", "--plugin-dir", fixturePluginDir("steps").string(), "serve",
                                   "--port", std::to_string(port_)},
                                  ".", nullptr, nullptr, nullptr, Poco::Process::Env(env_.begin(), env_.end())));
        for (int attempt = 0; attempt < 400; ++attempt) {
            try {
                if (httpRequest(port_, "GET", "/api/health").status == 200) return true;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    /// Sends `signal` and reaps the process; returns its exit code.
    int kill(int signal) {
        ::kill(handle_->id(), signal);
        const int code = handle_->wait();
        handle_.reset();
        return code;
    }
    std::uint16_t port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    HttpReply request(const std::string& method, const std::string& path, const json& body = nullptr,
                      const std::map<std::string, std::string>& headers = {}) const {
        return httpRequest(port_, method, path, body, headers);
    }
    /// The environment the server runs with, for CLI calls against the same catalog.
    const std::map<std::string, std::string>& env() const { return env_; }

private:
    const TempDir& home_;
    std::map<std::string, std::string> env_;
    std::unique_ptr<Poco::ProcessHandle> handle_;
    std::uint16_t port_ = 0;
};

/// `count` distinct short clips (different durations, so different checksums) named clip00.mp4, clip01.mp4...
inline void makeClips(const std::filesystem::path& dir, int count) {
    std::filesystem::create_directories(dir);
    for (int index = 0; index < count; ++index) {
        char name[32];
        std::snprintf(name, sizeof name, "clip%02d.mp4", index);
        const auto made =
            runProcess("ffmpeg", {"-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t",
                                  std::to_string(1 + index * 0.1), "-pix_fmt", "yuv420p", (dir / name).string()});
        ASSERT_EQ(made.exit_code, 0) << made.err;
    }
}

/// Whether an IngestProgress document (or a job summary with `job_status`) says the job is over.
inline bool ended(const json& progress) {
    const std::string status = progress.value("job_status", "");
    return status == "completed" || status == "failed" || status == "cancelled";
}

/// POST /api/ingest (expecting 202); the job id, or "" after a test failure.
inline std::string submitIngest(const ServeProcess& server, const json& body,
                                const std::map<std::string, std::string>& headers = {}) {
    const auto reply = server.request("POST", "/api/ingest", body, headers);
    EXPECT_EQ(reply.status, 202) << reply.text;
    return reply.body.value("job_id", "");
}

/// JSON pointers of every null in `document` (the panel crashes on a null where it expects a number).
inline void collectNulls(const json& value, const std::string& at, std::vector<std::string>& found) {
    if (value.is_null()) found.push_back(at);
    if (value.is_object())
        for (const auto& [key, item] : value.items()) collectNulls(item, at + "/" + key, found);
    if (value.is_array())
        for (std::size_t index = 0; index < value.size(); ++index)
            collectNulls(value[index], at + "/" + std::to_string(index), found);
}

inline std::vector<std::string> nullsIn(const json& document) {
    std::vector<std::string> found;
    collectNulls(document, "", found);
    return found;
}

/// Polls `path` until `done(body)` holds (checking each body with `check`); false after about two minutes.
inline bool pollUntil(const ServeProcess& server, const std::string& path, const std::function<bool(const json&)>& done,
                      const std::map<std::string, std::string>& headers = {},
                      const std::function<void(const json&)>& check = {}) {
    for (int attempt = 0; attempt < 1200; ++attempt) {
        const HttpReply reply = server.request("GET", path, nullptr, headers);
        if (reply.status == 200) {
            if (check) check(reply.body);
            if (done(reply.body)) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace clipdex::test::jobs

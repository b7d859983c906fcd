// Clients of the live transports for the end-to-end suites against a real `clipdex serve`: a /api/ws client
// (Poco's WebSocket) and the real socket.io-client run by node (tests/node/socketio_driver.js), remote-controlled
// over its stdin and read line by line from its stdout.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "core/json.hpp"
#include "support/test_support.hpp"
#include "ws_test_client.hpp"

namespace clipdex::test::live {

using clipdex::test::WsClient;

/// The real socket.io-client in a node child process. Every line it prints ({"event","data"}) is kept in order;
/// waitFor() returns the first one after the ones already consumed that matches.
class SocketIoDriver {
public:
    explicit SocketIoDriver(const std::string& url, const std::string& token = "") {
        const std::filesystem::path node_dir =
            std::filesystem::path(requiredEnv("CLIPDEX_SOURCE_DIR")) / "tests" / "node";
        if (std::system("command -v node >/dev/null 2>&1") != 0 ||
            !std::filesystem::exists(node_dir / "node_modules" / "socket.io-client" / "package.json")) {
            ADD_FAILURE() << "node or the socket.io-client package is missing: install nodejs and run `npm ci --prefix "
                          << node_dir.string() << "` (packaging/scripts/run-tests.sh does both)";
            return;
        }
        std::vector<std::string> args = {(node_dir / "socketio_driver.js").string(), url};
        if (!token.empty()) args.push_back(token);
        handle_.emplace(Poco::Process::launch("node", args, &to_child_, &from_child_, nullptr));
        input_.emplace(to_child_);
        reader_ = std::thread([this] {
            Poco::PipeInputStream output(from_child_);
            std::string line;
            while (std::getline(output, line)) {
                json parsed = json::parse(line, nullptr, false);
                std::lock_guard lock(mutex_);
                if (parsed.is_discarded()) parsed = {{"event", "unparsed"}, {"data", line}};
                lines_.push_back(std::move(parsed));
                changed_.notify_all();
            }
            std::lock_guard lock(mutex_);
            ended_ = true;
            changed_.notify_all();
        });
    }
    ~SocketIoDriver() {
        if (!handle_) return;
        close();
        reader_.join();
        handle_->wait();
    }
    bool started() const { return handle_.has_value(); }

    void emit(const std::string& event, const json& data) { command({{"emit", event}, {"data", data}}); }
    void close() {
        if (!closed_) command({{"close", true}});
        closed_ = true;
    }

    /// The data of the next `event` (from where the last wait stopped) accepted by `accept`; null (and a test
    /// failure) when the client exits or a minute passes without one.
    json waitFor(const std::string& event, const std::function<bool(const json&)>& accept = {}) {
        return awaitLine(event, [&](const json& line) {
            return line.value("event", "") == event && (!accept || accept(line["data"]));
        })["data"];
    }
    /// The answer to request `request_id`: the whole line, {"event": "response" | "response_error", "data"}.
    json reply(const std::string& request_id) {
        return awaitLine("an answer to " + request_id, [&](const json& line) {
            const std::string event = line.value("event", "");
            return (event == "response" || event == "response_error") && line["data"].is_object() &&
                   line["data"].value("requestId", "") == request_id;
        });
    }
    /// Every line received so far.
    std::vector<json> lines() {
        std::lock_guard lock(mutex_);
        return {lines_.begin(), lines_.end()};
    }
    std::string dump() {
        std::lock_guard lock(mutex_);
        return dumpLocked();
    }

private:
    json awaitLine(const std::string& what, const std::function<bool(const json&)>& match) {
        std::unique_lock lock(mutex_);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (;;) {
            for (; cursor_ < lines_.size(); ++cursor_)
                if (match(lines_[cursor_])) return lines_[cursor_++];
            if (ended_ || changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
                ADD_FAILURE() << "socket.io-client never sent " << what << "; it printed:\n" << dumpLocked();
                return json{{"event", "none"}, {"data", nullptr}};
            }
        }
    }
    void command(const json& message) {
        if (!input_) return;
        *input_ << message.dump() << "\n";
        input_->flush();
    }
    std::string dumpLocked() const {
        std::string text;
        for (const json& line : lines_) text += line.dump().substr(0, 300) + "\n";
        return text;
    }

    Poco::Pipe to_child_;
    Poco::Pipe from_child_;
    std::optional<Poco::ProcessHandle> handle_;
    std::optional<Poco::PipeOutputStream> input_;
    std::thread reader_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<json> lines_;
    std::size_t cursor_ = 0;
    bool ended_ = false;
    bool closed_ = false;
};

}  // namespace clipdex::test::live

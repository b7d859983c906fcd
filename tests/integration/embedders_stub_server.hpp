// A loopback OpenAI-compatible embeddings server for the embedders tests. It speaks the real wire
// format (POST <prefix>/embeddings, JSON body {"model", "input", "encoding_format", "dimensions"?},
// answer {"object": "list", "data": [{"object": "embedding", "embedding", "index"}], "model", "usage"}),
// records every request, and follows a script of behaviours (answer, HTTP error, Retry-After, delay).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/json.hpp"

namespace clipdex::embedders_test {

struct StubRequest {
    std::string method;
    std::string uri;
    std::string authorization;  // "" when the header is absent
    std::string content_type;
    json body;  // null when the body is not JSON
};

/// What the stub does with one request.
struct StubBehaviour {
    int status = 200;                        // non-200: {"error": {"message"}} with this status
    std::optional<std::string> retry_after;  // Retry-After header
    int delay_ms = 0;                        // sleep before answering
    int drop_vectors = 0;                    // answer this many fewer embeddings than inputs

    static StubBehaviour fail(int status, std::optional<std::string> retry_after = std::nullopt) {
        StubBehaviour b;
        b.status = status;
        b.retry_after = std::move(retry_after);
        return b;
    }
    static StubBehaviour slow(int delay_ms) {
        StubBehaviour b;
        b.delay_ms = delay_ms;
        return b;
    }
    static StubBehaviour missing(int drop_vectors) {
        StubBehaviour b;
        b.drop_vectors = drop_vectors;
        return b;
    }
};

class StubEmbeddingServer {
public:
    /// `prefix` is the path before /embeddings ("/v1"); `dimension` the vector size when the request sets none.
    explicit StubEmbeddingServer(std::string prefix = "/v1", int dimension = 4)
        : prefix_(std::move(prefix)), dimension_(dimension), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        auto* params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(false);
        params->setMaxThreads(4);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
        server_->start();
    }
    ~StubEmbeddingServer() {
        server_->stopAll(true);
        // A handler may still be sleeping through a scripted delay; it touches this object when it wakes.
        for (int waited = 0; in_flight_.load() > 0 && waited < 1000; ++waited)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + prefix_; }
    /// Behaviours for the next requests, in order; after them, `fallback` answers.
    void script(std::vector<StubBehaviour> next, StubBehaviour fallback = {}) {
        std::lock_guard lock(mutex_);
        script_.assign(next.begin(), next.end());
        fallback_ = fallback;
    }
    std::vector<StubRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    /// The stub's deterministic embedding of `text`: [byte length, 1, 2, ...] (dimension components).
    static std::vector<float> vectorFor(const std::string& text, int dimension) {
        std::vector<float> vector{static_cast<float>(text.size())};
        for (int i = 1; i < dimension; ++i) vector.push_back(static_cast<float>(i));
        return vector;
    }

private:
    class Handler final : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(StubEmbeddingServer& server) : server_(server) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            ++server_.in_flight_;
            try {
                server_.handle(request, response);
            } catch (...) {
                --server_.in_flight_;
                throw;
            }
            --server_.in_flight_;
        }

    private:
        StubEmbeddingServer& server_;
    };
    class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(StubEmbeddingServer& server) : server_(server) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(server_);
        }

    private:
        StubEmbeddingServer& server_;
    };

    static void send(Poco::Net::HTTPServerResponse& response, int status, const json& body) {
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        response.setContentType("application/json");
        const std::string text = body.dump();
        response.setContentLength(static_cast<std::streamsize>(text.size()));
        response.send() << text;
    }

    std::atomic<int> in_flight_{0};

    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
        std::ostringstream text;
        Poco::StreamCopier::copyStream(request.stream(), text);
        StubRequest seen{request.getMethod(), request.getURI(), request.get("Authorization", ""),
                         request.getContentType(), json::parse(text.str(), nullptr, false)};
        if (seen.body.is_discarded()) seen.body = nullptr;
        StubBehaviour behaviour;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(seen);
            if (!script_.empty()) {
                behaviour = script_.front();
                script_.pop_front();
            } else {
                behaviour = fallback_;
            }
        }
        if (behaviour.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(behaviour.delay_ms));
        if (behaviour.retry_after) response.set("Retry-After", *behaviour.retry_after);
        if (behaviour.status != 200)
            return send(response, behaviour.status,
                        {{"error", {{"message", "stub says " + std::to_string(behaviour.status)}, {"type", "stub"}}}});
        if (seen.method != "POST" || seen.uri != prefix_ + "/embeddings")
            return send(response, 404, {{"error", {{"message", "no route " + seen.method + " " + seen.uri}}}});
        const json& body = seen.body;
        if (!body.is_object() || !body.contains("input") || !body["input"].is_array() || !body.contains("model"))
            return send(response, 400, {{"error", {{"message", "body must have model and input[]"}}}});
        const int dimension = body.contains("dimensions") ? body["dimensions"].get<int>() : dimension_;
        const json& inputs = body["input"];
        json data = json::array();
        const int count = static_cast<int>(inputs.size()) - behaviour.drop_vectors;
        for (int i = count - 1; i >= 0; --i)  // deliberately out of order: clients must sort by index
            data.push_back({{"object", "embedding"},
                            {"index", i},
                            {"embedding", vectorFor(inputs[static_cast<size_t>(i)].get<std::string>(), dimension)}});
        send(response, 200,
             {{"object", "list"},
              {"data", data},
              {"model", "server-side-name"},
              {"usage", {{"prompt_tokens", 7}, {"total_tokens", 7}}}});
    }

    std::string prefix_;
    int dimension_;
    Poco::Net::ServerSocket socket_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    mutable std::mutex mutex_;
    std::deque<StubBehaviour> script_;
    StubBehaviour fallback_;
    std::vector<StubRequest> requests_;
};

}  // namespace clipdex::embedders_test

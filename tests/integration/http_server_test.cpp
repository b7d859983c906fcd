// The HTTP router over real loopback connections, with host-side commands standing in for plugins:
// envelopes, argument merging and coercion, body limits, routing errors, CORS, the built-in routes,
// concurrency and graceful shutdown.
#include "http/http_server.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "core/command.hpp"

namespace {

using clipdex::BuiltinCommand;
using clipdex::CommandDecl;
using clipdex::Invocation;
using clipdex::json;
using clipdex::Outcome;
using clipdex::http::HttpServer;
using clipdex::http::ServerOptions;

constexpr std::size_t kMaxBody = 1024;

struct Reply {
    int status = 0;
    json body;
    Poco::Net::HTTPResponse response;
};

struct Call {
    Call(std::string method_, std::string path_, std::string body_ = "", std::string content_type_ = "application/json")
        : method(std::move(method_)),
          path(std::move(path_)),
          body(std::move(body_)),
          content_type(std::move(content_type_)) {}
    std::string method;
    std::string path;
    std::string body;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    bool chunked = false;
};

Reply send(Poco::Net::HTTPClientSession& session, const Call& call) {
    Poco::Net::HTTPRequest request(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : call.headers) request.set(name, value);
    if (!call.body.empty()) {
        request.setContentType(call.content_type);
        if (call.chunked)
            request.setChunkedTransferEncoding(true);
        else
            request.setContentLength(static_cast<std::streamsize>(call.body.size()));
    }
    session.sendRequest(request) << call.body;
    Reply reply;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(reply.response), text);
    reply.status = static_cast<int>(reply.response.getStatus());
    reply.body = text.empty() ? json() : json::parse(text, nullptr, false);
    return reply;
}

Reply send(std::uint16_t port, const Call& call) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    return send(session, call);
}

CommandDecl decl(std::string id, std::string method, std::string path, json args = json::object()) {
    CommandDecl result;
    result.plugin_id = "test";
    result.id = std::move(id);
    result.summary = "test command " + result.id;
    result.http_method = std::move(method);
    result.http_path = std::move(path);
    result.args = {{"type", "object"}, {"properties", std::move(args)}};
    return result;
}

/// Returns records through Outcome::records, as a plugin that streamed without a consumer does.
class StreamingCommand final : public clipdex::Command {
public:
    StreamingCommand(CommandDecl decl, json result) : Command(std::move(decl)), result_(std::move(result)) {}
    Outcome run(Invocation&) noexcept override {
        Outcome outcome;
        outcome.result = result_;
        outcome.records = {json{{"n", 1}}, json{{"n", 2}}, json{{"n", 3}}};
        return outcome;
    }

private:
    json result_;
};

class HttpServerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { ::signal(SIGPIPE, SIG_IGN); }  // a closed peer must not kill the test

    void SetUp() override {
        const json echo_args = {{"name", {{"type", "string"}}},
                                {"limit", {{"type", "integer"}, {"default", 10}, {"x-cli-short", "l"}}},
                                {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                {"verbose", {{"type", "boolean"}}},
                                {"cli_secret", {{"type", "string"}, {"x-cli-only", true}}}};
        auto echo = [](Invocation& call) { return json{{"args", call.args}, {"request_id", call.request_id}}; };
        auto args_only = [](Invocation& call) { return call.args; };
        add<BuiltinCommand>(decl("echo", "GET", "/api/echo", echo_args), echo);
        add<BuiltinCommand>(decl("echo-post", "POST", "/api/echo", echo_args), echo);
        add<BuiltinCommand>(
            decl("clip", "GET", "/api/clips/{id}", {{"id", {{"type", "string"}}}, {"include", {{"type", "array"}}}}),
            args_only);
        add<BuiltinCommand>(decl("recent", "GET", "/api/clips/recent"), [](Invocation&) {
            return json{{"recent", true}};
        });
        add<BuiltinCommand>(decl("item", "GET", "/api/items/{n}", {{"n", {{"type", "integer"}}}}), args_only);
        CommandDecl create = decl("create", "POST", "/api/clips",
                                  {{"title", {{"type", "string"}}},
                                   {"duration", {{"type", "number"}}},
                                   {"rating", {{"type", "integer"}, {"minimum", 0}, {"maximum", 5}}},
                                   {"favorite", {{"type", "boolean"}, {"default", false}}}});
        create.args["required"] = {"title"};
        add<BuiltinCommand>(create, args_only);
        add<BuiltinCommand>(
            decl("update", "PUT", "/api/clips/{id}", {{"id", {{"type", "string"}}}, {"title", {{"type", "string"}}}}),
            args_only);
        add<BuiltinCommand>(decl("missing", "GET", "/api/missing/{id}", {{"id", {{"type", "string"}}}}),
                            [](Invocation& call) -> json {
                                throw clipdex::CommandError(CDX_E_NOT_FOUND,
                                                            "Clip " + call.args["id"].get<std::string>() + " not found",
                                                            json{{"code", "CLIP_NOT_FOUND"}});
                            });
        add<BuiltinCommand>(decl("boom", "GET", "/api/boom"),
                            [](Invocation&) -> json { throw std::runtime_error("kaboom"); });
        add<StreamingCommand>(decl("stream", "GET", "/api/stream"), json());
        add<StreamingCommand>(decl("summary", "GET", "/api/stream/summary"), json{{"count", 3}});
        CommandDecl legacy = decl("auth-status", "GET", "/api/auth/status");
        legacy.output = {{"http_envelope", false}};
        add<BuiltinCommand>(legacy, [](Invocation&) { return json{{"authenticated", true}}; });
        add<BuiltinCommand>(decl("slow", "GET", "/api/slow"), [this](Invocation&) {
            slow_started_.set_value();
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            return json{{"done", true}};
        });
        add<BuiltinCommand>(decl("wait", "GET", "/api/wait"), [this](Invocation& call) {
            wait_started_.set_value();
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (!call.cancel->cancelled() && std::chrono::steady_clock::now() < give_up)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            wait_cancelled_.set_value(call.cancel->cancelled());
            return json();
        });
        CommandDecl cli_only = decl("serve", "", "");
        cli_only.cli_path = {"serve"};
        add<BuiltinCommand>(cli_only, [](Invocation&) { return json(); });

        ServerOptions options;
        options.port = 0;
        options.max_body_bytes = kMaxBody;
        options.version = "9.9.9-test";
        server_ = std::make_unique<HttpServer>(pointers(), options);
        server_->start();
        port_ = server_->port();
    }

    void TearDown() override { server_->stop(); }

    template <class T, class... Args>
    void add(Args&&... args) {
        commands_.push_back(std::make_unique<T>(std::forward<Args>(args)...));
    }
    std::vector<clipdex::Command*> pointers() const {
        std::vector<clipdex::Command*> result;
        for (const auto& command : commands_) result.push_back(command.get());
        return result;
    }
    Reply get(const std::string& path) { return send(port_, Call{"GET", path}); }
    Reply post(const std::string& path, const std::string& body) { return send(port_, Call{"POST", path, body}); }

    std::vector<std::unique_ptr<clipdex::Command>> commands_;
    std::unique_ptr<HttpServer> server_;
    std::uint16_t port_ = 0;
    std::promise<void> slow_started_;
    std::promise<void> wait_started_;
    std::promise<bool> wait_cancelled_;
};

TEST_F(HttpServerTest, SuccessUsesTheOriginalEnvelope) {
    const Reply reply = get("/api/echo?name=ann");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.body["success"], true);
    EXPECT_EQ(reply.body["message"], "Success");
    EXPECT_TRUE(reply.body["timestamp"].is_number_float());
    EXPECT_EQ(reply.body["data"]["args"], (json{{"name", "ann"}, {"limit", 10}}));
    EXPECT_EQ(reply.response.getContentType(), "application/json");
}

TEST_F(HttpServerTest, CommandFailuresUseTheErrorEnvelopeAndTheirCode) {
    const Reply missing = get("/api/missing/c42");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.body["success"], false);
    EXPECT_EQ(missing.body["code"], "CLIP_NOT_FOUND");
    EXPECT_EQ(missing.body["error"], "Clip c42 not found");
    EXPECT_TRUE(missing.body["timestamp"].is_number());
    EXPECT_FALSE(missing.body.contains("data"));
}

TEST_F(HttpServerTest, AThrowingCommandGives500AndTheServerKeepsServing) {
    const Reply boom = get("/api/boom");
    EXPECT_EQ(boom.status, 500);
    EXPECT_EQ(boom.body["code"], "INTERNAL_ERROR");
    EXPECT_EQ(boom.body["error"], "kaboom");
    EXPECT_EQ(get("/api/health").status, 200);
}

TEST_F(HttpServerTest, PathTemplatesBindArgumentsAndLiteralSegmentsWin) {
    const Reply clip = get("/api/clips/a%2Fb%20c?include=transcript,analysis");
    ASSERT_EQ(clip.status, 200) << clip.body;
    EXPECT_EQ(clip.body["data"]["id"], "a/b c");
    EXPECT_EQ(clip.body["data"]["include"], json::array({"transcript", "analysis"}));
    EXPECT_EQ(get("/api/clips/recent").body["data"], (json{{"recent", true}}));
    EXPECT_EQ(get("/api/items/42").body["data"]["n"], 42);
    const Reply bad = get("/api/items/forty-two");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body["field"], "n");
}

TEST_F(HttpServerTest, QueryTextIsCoercedAndRepeatedKeysBecomeArrays) {
    const Reply reply = get("/api/echo?limit=5&verbose=yes&tags=a&tags=b+c&name=%C3%A9");
    ASSERT_EQ(reply.status, 200) << reply.body;
    const json& args = reply.body["data"]["args"];
    EXPECT_EQ(args["limit"], 5);
    EXPECT_EQ(args["verbose"], true);
    EXPECT_EQ(args["tags"], json::array({"a", "b c"}));
    EXPECT_EQ(args["name"], "\xC3\xA9");
}

TEST_F(HttpServerTest, JsonBodyValuesKeepTheirTypes) {
    const Reply created = post("/api/clips", R"({"title": "Beach", "duration": 12.5, "rating": 4})");
    ASSERT_EQ(created.status, 200) << created.body;
    EXPECT_EQ(created.body["data"], (json{{"title", "Beach"}, {"duration", 12.5}, {"rating", 4}, {"favorite", false}}));

    const Reply text_limit = post("/api/echo", R"({"limit": "abc"})");
    EXPECT_EQ(text_limit.status, 400);
    EXPECT_EQ(text_limit.body["code"], "VALIDATION_ERROR");
    EXPECT_EQ(text_limit.body["field"], "limit");
    EXPECT_NE(text_limit.body["error"].get<std::string>().find("limit"), std::string::npos);
    EXPECT_EQ(post("/api/clips", R"({"title": "x", "rating": "3"})").body["field"], "rating");
    EXPECT_EQ(post("/api/clips", R"({"title": "x", "rating": 9})").body["field"], "rating");
    EXPECT_EQ(post("/api/clips", R"({"rating": 1})").body["field"], "title");
}

TEST_F(HttpServerTest, PathWinsOverBodyWhichWinsOverQuery) {
    const Reply echo = post("/api/echo?name=query&limit=3", R"({"name": "body"})");
    ASSERT_EQ(echo.status, 200) << echo.body;
    EXPECT_EQ(echo.body["data"]["args"]["name"], "body");
    EXPECT_EQ(echo.body["data"]["args"]["limit"], 3);
    const Reply update = send(port_, Call{"PUT", "/api/clips/c1?title=q", R"({"id": "c2", "title": "t"})"});
    ASSERT_EQ(update.status, 200) << update.body;
    EXPECT_EQ(update.body["data"], (json{{"id", "c1"}, {"title", "t"}}));
}

TEST_F(HttpServerTest, UnknownAndCliOnlyArgumentsAreRejectedByName) {
    const Reply unknown = get("/api/echo?bogus=1");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.body["field"], "bogus");
    EXPECT_EQ(get("/api/echo?cli_secret=x").body["field"], "cli_secret");
}

TEST_F(HttpServerTest, BadBodiesAreRejectedWithTheOriginalCodes) {
    EXPECT_EQ(post("/api/echo", "{not json").body["code"], "INVALID_JSON");
    EXPECT_EQ(post("/api/echo", "[1, 2]").body["code"], "INVALID_JSON");
    EXPECT_EQ(post("/api/echo", "null").body["code"], "INVALID_JSON");
    const Reply text = send(port_, Call{"POST", "/api/echo", "name=x", "text/plain"});
    EXPECT_EQ(text.status, 400);
    EXPECT_EQ(text.body["code"], "INVALID_CONTENT_TYPE");
    EXPECT_EQ(send(port_, Call{"POST", "/api/echo", "{}", "application/json; charset=utf-8"}).status, 200);
    EXPECT_EQ(post("/api/echo", "").status, 200);  // no body at all is fine
}

TEST_F(HttpServerTest, OversizedBodiesGet413) {
    const std::string big = R"({"name": ")" + std::string(2 * kMaxBody, 'x') + R"("})";
    const Reply declared = post("/api/echo", big);
    EXPECT_EQ(declared.status, 413);
    EXPECT_EQ(declared.body["code"], "PAYLOAD_TOO_LARGE");
    Call chunked{"POST", "/api/echo", big};
    chunked.chunked = true;
    const Reply streamed = send(port_, chunked);
    EXPECT_EQ(streamed.status, 413);
    EXPECT_EQ(streamed.body["code"], "PAYLOAD_TOO_LARGE");
    chunked.body = R"({"name": "small"})";
    EXPECT_EQ(send(port_, chunked).body["data"]["args"]["name"], "small");
}

TEST_F(HttpServerTest, UnknownPathsAre404AndWrongMethods405) {
    const Reply unknown = get("/api/nope");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.body["success"], false);
    EXPECT_EQ(unknown.body["code"], "NOT_FOUND");
    const Reply wrong = send(port_, Call{"DELETE", "/api/echo"});
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.response.get("Allow"), "GET, POST, OPTIONS");
    EXPECT_EQ(wrong.body["code"], "METHOD_NOT_ALLOWED");
}

TEST_F(HttpServerTest, RecordsBecomeDataOrRideAlongTheResult) {
    const json records = json::array({{{"n", 1}}, {{"n", 2}}, {{"n", 3}}});
    EXPECT_EQ(get("/api/stream").body["data"], records);
    const Reply summary = get("/api/stream/summary");
    EXPECT_EQ(summary.body["data"], (json{{"count", 3}}));
    EXPECT_EQ(summary.body["records"], records);
}

TEST_F(HttpServerTest, HttpEnvelopeFalseReturnsTheResultUnwrapped) {
    EXPECT_EQ(get("/api/auth/status").body, (json{{"authenticated", true}}));
}

TEST_F(HttpServerTest, RequestIdsAreEchoedOrGenerated) {
    Call call{"GET", "/api/echo"};
    call.headers = {{"X-Request-Id", "client-id-7"}};
    const Reply echoed = send(port_, call);
    EXPECT_EQ(echoed.response.get("X-Request-Id"), "client-id-7");
    EXPECT_EQ(echoed.body["data"]["request_id"], "client-id-7");
    const Reply generated = get("/api/echo");
    EXPECT_FALSE(generated.response.get("X-Request-Id", "").empty());
    EXPECT_EQ(generated.body["data"]["request_id"], generated.response.get("X-Request-Id"));
}

TEST_F(HttpServerTest, CorsEchoesTheOriginAndAnswersPreflights) {
    Call call{"GET", "/api/health"};
    call.headers = {{"Origin", "http://localhost:3000"}};
    const Reply reply = send(port_, call);
    EXPECT_EQ(reply.response.get("Access-Control-Allow-Origin"), "http://localhost:3000");
    EXPECT_EQ(reply.response.get("Access-Control-Allow-Credentials"), "true");
    EXPECT_EQ(reply.response.get("Vary"), "Origin");
    EXPECT_EQ(get("/api/nope").response.get("Access-Control-Allow-Origin"), "*");

    Call preflight{"OPTIONS", "/api/clips/abc"};
    preflight.headers = {{"Origin", "http://localhost:8080"}, {"Access-Control-Request-Method", "PUT"}};
    const Reply options = send(port_, preflight);
    EXPECT_EQ(options.status, 204);
    EXPECT_EQ(options.response.get("Access-Control-Allow-Origin"), "http://localhost:8080");
    EXPECT_EQ(options.response.get("Access-Control-Allow-Methods"), "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    EXPECT_EQ(options.response.get("Access-Control-Allow-Headers"), "Content-Type, Authorization, X-Request-Id");
    EXPECT_EQ(send(port_, Call{"OPTIONS", "/api/nope"}).status, 404);
}

TEST_F(HttpServerTest, HealthReportsTheVersion) {
    const Reply health = get("/api/health");
    ASSERT_EQ(health.status, 200);
    EXPECT_EQ(health.body["success"], true);
    EXPECT_EQ(health.body["data"]["status"], "healthy");
    EXPECT_EQ(health.body["data"]["version"], "9.9.9-test");
    EXPECT_TRUE(health.body["data"]["timestamp"].is_number());
}

TEST_F(HttpServerTest, OpenApiDescribesEveryRoute) {
    const Reply reply = get("/api/openapi.json");
    ASSERT_EQ(reply.status, 200);
    const json& doc = reply.body;
    EXPECT_EQ(doc["openapi"], "3.0.3");
    EXPECT_EQ(doc["info"]["version"], "9.9.9-test");
    EXPECT_EQ(doc, server_->openApi());
    for (const auto& command : commands_) {
        const CommandDecl& d = command->decl();
        if (d.http_method.empty()) continue;
        std::string method = d.http_method;
        for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        ASSERT_TRUE(doc["paths"].contains(d.http_path)) << d.http_path;
        EXPECT_EQ(doc["paths"][d.http_path][method]["operationId"], "test." + d.id);
    }
    EXPECT_TRUE(doc["paths"].contains("/api/health"));
    const json& clip = doc["paths"]["/api/clips/{id}"]["get"];
    EXPECT_EQ(clip["tags"], json::array({"test"}));
    EXPECT_EQ(clip["parameters"][0],
              (json{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}));
    const json& echo = doc["paths"]["/api/echo"];
    EXPECT_FALSE(clipdex::dumpJson(echo).find("x-cli") != std::string::npos) << echo;
    EXPECT_FALSE(clipdex::dumpJson(echo).find("cli_secret") != std::string::npos) << echo;
    EXPECT_EQ(doc["paths"]["/api/clips"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"],
              json::array({"title"}));
    EXPECT_TRUE(doc["paths"]["/api/clips"]["post"]["responses"].contains("400"));
}

TEST_F(HttpServerTest, ConcurrentRequestsAllSucceed) {
    constexpr int kThreads = 8;
    constexpr int kRequests = 50;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Poco::Net::HTTPClientSession session("127.0.0.1", port_);  // keep-alive: one connection per thread
            session.setTimeout(Poco::Timespan(10, 0));
            for (int i = 0; i < kRequests; ++i) {
                const std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
                try {
                    const std::string path = "/api/echo?name=" + name + "&limit=" + std::to_string(i);
                    const Reply reply = send(session, Call{"GET", path});
                    if (reply.status == 200 && reply.body["data"]["args"]["name"] == name &&
                        reply.body["data"]["args"]["limit"] == i)
                        ++ok;
                } catch (const Poco::Exception&) {
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(ok.load(), kThreads * kRequests);
}

TEST_F(HttpServerTest, StopLetsAnInFlightRequestFinish) {
    auto slow = std::async(std::launch::async, [this] { return get("/api/slow"); });
    ASSERT_EQ(slow_started_.get_future().wait_for(std::chrono::seconds(8)), std::future_status::ready);
    server_->stop();
    const Reply reply = slow.get();
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body["data"]["done"], true);
    EXPECT_THROW(get("/api/health"), Poco::Exception);  // no longer listening
}

TEST_F(HttpServerTest, AClientThatHangsUpCancelsItsCommand) {
    std::thread client([this] {
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", port_);
            Poco::Net::HTTPRequest request("GET", "/api/wait", Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request).flush();
            if (wait_started_.get_future().wait_for(std::chrono::seconds(8)) != std::future_status::ready) return;
            session.reset();  // closes the connection without waiting for the reply
        } catch (const Poco::Exception&) {
        }
    });
    client.join();
    auto cancelled = wait_cancelled_.get_future();
    ASSERT_EQ(cancelled.wait_for(std::chrono::seconds(8)), std::future_status::ready);
    EXPECT_TRUE(cancelled.get());
}

TEST_F(HttpServerTest, ServeUntilSignalStopsOnSigterm) {
    std::promise<void> blocked;
    int exit_code = -1;
    std::thread serving([&] {
        sigset_t signals;  // blocked before anyone can signal this thread, so the default action never runs
        sigemptyset(&signals);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        blocked.set_value();
        exit_code = clipdex::http::serveUntilSignal(*server_);
    });
    blocked.get_future().wait();
    EXPECT_EQ(get("/api/health").status, 200);
    pthread_kill(serving.native_handle(), SIGTERM);
    serving.join();
    EXPECT_EQ(exit_code, 0);
    EXPECT_THROW(get("/api/health"), Poco::Exception);
}

TEST(HttpServerConstruction, ConflictingRoutesNameBothCommands) {
    BuiltinCommand first(decl("first", "GET", "/api/clips/{id}", {{"id", {{"type", "string"}}}}),
                         [](Invocation&) { return json(); });
    BuiltinCommand second(decl("second", "GET", "/api/clips/{clip}", {{"clip", {{"type", "string"}}}}),
                          [](Invocation&) { return json(); });
    try {
        HttpServer server({&first, &second}, ServerOptions{});
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("'first'"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("'second'"), std::string::npos) << error.what();
    }
    BuiltinCommand health(decl("health", "GET", "/api/health"), [](Invocation&) { return json(); });
    EXPECT_THROW(HttpServer({&health}, ServerOptions{}), std::invalid_argument);
}

TEST(HttpServerConstruction, StartNamesTheAddressItCannotBind) {
    ServerOptions options;
    options.host = "203.0.113.7";  // TEST-NET-3: never a local address
    options.port = 0;
    HttpServer server({}, options);
    try {
        server.start();
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("203.0.113.7:0"), std::string::npos) << error.what();
    }
}

}  // namespace

#include "support/http_client.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cstdlib>

namespace clipdex::test {

HttpReply httpRequest(std::uint16_t port, const std::string& method, const std::string& path, const json& body,
                      const std::map<std::string, std::string>& headers) {
    if (body.is_null()) return httpRequestText(port, method, path, "", "", headers);
    return httpRequestText(port, method, path, body.dump(), "application/json", headers);
}

HttpReply httpRequestText(std::uint16_t port, const std::string& method, const std::string& path,
                          const std::string& text, const std::string& content_type,
                          const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!content_type.empty()) {
        request.setContentType(content_type);
        request.setContentLength(static_cast<std::streamsize>(text.size()));
    }
    session.sendRequest(request) << text;
    Poco::Net::HTTPResponse response;
    HttpReply reply;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.text);
    reply.status = static_cast<int>(response.getStatus());
    reply.body = json::parse(reply.text, nullptr, false);
    for (const auto& [name, value] : response) {
        reply.headers[name] = value;
        if (Poco::icompare(name, "Set-Cookie") == 0) reply.cookies.push_back(value);
    }
    return reply;
}

HttpReply httpGet(std::uint16_t port, const std::string& path, const std::map<std::string, std::string>& headers) {
    return httpRequest(port, "GET", path, nullptr, headers);
}

std::unique_ptr<http::HttpServer> startServer(Runtime& runtime) {
    http::ServerOptions options;
    options.port = 0;
    options.version = "test";
    options.catalog_version = catalogVersionOf(runtime);
    auto server = std::make_unique<http::HttpServer>(runtime.registry().commands(), options);
    server->start();
    return server;
}

std::function<std::optional<std::uint64_t>()> catalogVersionOf(Runtime& runtime) {
    return [&runtime] { return runtime.catalog().changeCounter(); };
}

http::ServerOptions identifiedServerOptions(Runtime& runtime) {
    http::ServerOptions options;
    options.port = 0;
    options.version = "test";
    options.catalog_version = catalogVersionOf(runtime);
    options.principal_for = [&runtime](const CommandDecl& decl, const std::optional<auth::Credential>& credential,
                                       const auth::Caller& caller) {
        return runtime.identity().principalFor(decl, credential, caller);
    };
    return options;
}

std::unique_ptr<Runtime> runtimeInMode(const std::filesystem::path& catalog, const char* mode) {
    // The mode is read once, when the Runtime is built.
    ::setenv("CLIPDEX_AUTH_MODE", mode, 1);
    RuntimeOptions options;
    options.load_env_plugins = false;
    options.catalog = catalog.string();
    auto runtime = std::make_unique<Runtime>(options);
    ::unsetenv("CLIPDEX_AUTH_MODE");
    return runtime;
}

}  // namespace clipdex::test

#include "openai_http.hpp"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <clipdex/plugin.hpp>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <sstream>

namespace embedders {
namespace {

Poco::Net::Context::Ptr tlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        // Verify the server against the system CA store (and its host name, done by Poco on connect).
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                         Poco::Net::Context::VERIFY_RELAXED, 9, true);
    });
    return context;
}

std::optional<double> parseRetryAfter(const std::string& value) {
    if (value.empty()) return std::nullopt;
    char* end = nullptr;
    const double seconds = std::strtod(value.c_str(), &end);
    if (end != value.c_str() && *end == '\0') return seconds < 0 ? 0.0 : seconds;
    try {  // an HTTP date
        int tz = 0;
        const Poco::DateTime when = Poco::DateTimeParser::parse(value, tz);
        const double delta = static_cast<double>(when.timestamp() - Poco::Timestamp()) / 1e6;
        return delta < 0 ? 0.0 : delta;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

}  // namespace

HttpAnswer postJson(const std::string& url, const std::string& body, const std::string& api_key, int timeout_ms) {
    HttpAnswer answer;
    try {
        const Poco::URI uri(url);
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https")
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tlsContext());
        else if (uri.getScheme() == "http")
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        else
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT,
                                 "openai embeddings: base URL '" + url + "' must start with http:// or https://");
        session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout_ms) * 1000));

        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.set("Accept", "application/json");
        request.set("User-Agent", "clipdex-embedders/1");
        if (!api_key.empty()) request.set("Authorization", "Bearer " + api_key);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session->sendRequest(request) << body;

        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        std::ostringstream text;
        Poco::StreamCopier::copyStream(in, text);
        if (in.bad()) {  // Poco keeps the socket error and the stream just goes bad
            if (const Poco::Exception* error = session->networkException()) error->rethrow();
            throw Poco::IOException("the connection broke while reading the answer");
        }
        answer.status = static_cast<int>(response.getStatus());
        answer.body = text.str();
        answer.retry_after = parseRetryAfter(response.get("Retry-After", ""));
    } catch (const Poco::TimeoutException&) {
        answer.timed_out = true;
        answer.failure = "no answer within " + std::to_string(timeout_ms) + " ms";
    } catch (const Poco::Exception& error) {
        answer.failure = error.displayText();
    } catch (const std::ios_base::failure& error) {
        answer.failure = error.what();
    }
    return answer;
}

}  // namespace embedders

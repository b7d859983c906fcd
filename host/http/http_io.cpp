#include "http/http_io.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <sstream>

#include "http/http_error.hpp"

namespace clipdex::http {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kLingerBytes = 1 << 20;             // beyond this we accept the reset risk
constexpr long kLingerReceiveTimeoutMicros = 500 * 1000;  // a client that stops sending gets no more time

std::string mediaType(const std::string& content_type) {
    std::string type = content_type.substr(0, content_type.find(';'));
    type.erase(0, type.find_first_not_of(" \t"));
    type.erase(type.find_last_not_of(" \t") + 1);
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return type;
}

HttpError tooLarge(std::size_t max_bytes) {
    HttpError error(413, "PAYLOAD_TOO_LARGE",
                    "Request body is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    error.markBodyLeftUnread();
    return error;
}

/// Writes and flushes within the handler. Poco's sendBuffer() only fills a buffer that is flushed after the
/// handler returns, when stop() may already have judged the request finished and closed its connection.
bool sendBody(Poco::Net::HTTPServerResponse& response, const std::string& text) {
    response.setContentLength64(static_cast<Poco::Int64>(text.size()));  // keeps keep-alive possible
    std::ostream& out = response.send();
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    return out.good();  // Poco streams report a lost connection through the stream state
}

}  // namespace

void applyCors(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const std::string origin = request.get("Origin", "");
    response.set("Access-Control-Allow-Origin", origin.empty() ? std::string("*") : origin);
    response.set("Access-Control-Allow-Credentials", "true");
    response.set("Vary", "Origin");
    response.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    response.set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Request-Id");
    response.set("Access-Control-Expose-Headers", "X-Request-Id");
}

std::string allowHeader(const std::vector<std::string>& methods) {
    std::string header;
    for (const std::string& method : methods) header += method + ", ";
    return header + "OPTIONS";
}

bool sendJson(Poco::Net::HTTPServerResponse& response, int status, const json& body) {
    const std::string text = dumpJson(body);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    return sendBody(response, text);
}

bool sendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, std::string_view body,
               std::string_view tail) {
    response.setContentLength64(static_cast<Poco::Int64>(body.size() + tail.size()));
    const bool head_only = request.getMethod() == "HEAD";
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (impl == nullptr) {  // not from Poco's server: the portable way
        std::ostream& out = response.send();
        if (!head_only) out << body << tail;
        out.flush();
        return out.good();
    }
    // Poco's response streams send through a 4 KB buffer: a 23 KB thumbnail took seven send() calls, each a
    // wake-up of the reader. Status line, headers and body go out in one writev instead.
    std::ostringstream header_stream;
    response.write(header_stream);
    const std::string header = std::move(header_stream).str();
    std::vector<std::string_view> parts{header};
    if (!head_only) parts.insert(parts.end(), {body, tail});
    try {
        Poco::Net::SocketBufVec buffers;
        for (const std::string_view part : parts)
            if (!part.empty())
                buffers.push_back(Poco::Net::Socket::makeBuffer(const_cast<char*>(part.data()), part.size()));
        std::size_t sent = static_cast<std::size_t>(std::max(0, impl->socket().sendBytes(buffers)));
        // A short write (a full socket buffer): the rest through the blocking send, which loops until done.
        for (const std::string_view part : parts) {
            if (sent >= part.size()) {
                sent -= part.size();
                continue;
            }
            const std::string_view rest = part.substr(sent);
            sent = 0;
            impl->socket().sendBytes(rest.data(), static_cast<int>(rest.size()));
        }
        return true;
    } catch (const Poco::Exception&) {
        return false;  // the connection broke; Poco closes it
    }
}

bool sendJsonReply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, int status,
                   std::string_view body, std::string_view tail) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    return sendWhole(request, response, body, tail);
}

bool sendNoContent(Poco::Net::HTTPServerResponse& response) {
    response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    return sendBody(response, "");
}

std::string readBody(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes) {
    std::istream& in = request.stream();
    std::string body;
    if (request.getChunkedTransferEncoding()) {
        // Unknown length: read in pieces and give up one byte past the cap.
        std::vector<char> chunk(kReadChunk);
        while (in) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            body.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
            if (body.size() > max_bytes) throw tooLarge(max_bytes);
        }
        return body;
    }
    // HTTP/1.1: no Content-Length and no chunking means no body (reading would wait for the client to close).
    if (!request.hasContentLength()) return body;
    Poco::Int64 length = 0;
    try {
        length = request.getContentLength64();
    } catch (const Poco::Exception&) {
        throw HttpError(400, "INVALID_REQUEST", "Content-Length is not a number");
    }
    if (length < 0) throw HttpError(400, "INVALID_REQUEST", "Content-Length is negative");
    if (static_cast<std::uint64_t>(length) > max_bytes) throw tooLarge(max_bytes);
    body.resize(static_cast<std::size_t>(length));
    in.read(body.data(), static_cast<std::streamsize>(length));
    if (in.gcount() != static_cast<std::streamsize>(length)) {
        HttpError error(400, "INVALID_REQUEST", "Request body ended before its Content-Length");
        throw error.markBodyLeftUnread();
    }
    return body;
}

json parseJsonBody(const Poco::Net::HTTPServerRequest& request, const std::string& body) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
    if (mediaType(request.getContentType()) != "application/json")
        throw HttpError(400, "INVALID_CONTENT_TYPE", "Content-Type must be application/json");
    json parsed;
    try {
        parsed = json::parse(body);
    } catch (const json::parse_error& error) {
        throw HttpError(400, "INVALID_JSON", std::string("Request body is not valid JSON: ") + error.what());
    }
    if (!parsed.is_object()) throw HttpError(400, "INVALID_JSON", "Request body must be a JSON object");
    return parsed;
}

void discardUnreadBody(Poco::Net::HTTPServerRequest& request) {
    try {
        if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request))
            impl->socket().setReceiveTimeout(Poco::Timespan(kLingerReceiveTimeoutMicros));
        std::istream& in = request.stream();
        std::vector<char> chunk(kReadChunk);
        std::size_t discarded = 0;
        while (in && discarded < kLingerBytes) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            discarded += static_cast<std::size_t>(in.gcount());
        }
    } catch (...) {
        // Timeouts and resets end the drain; the connection is being closed anyway.
    }
}

}  // namespace clipdex::http

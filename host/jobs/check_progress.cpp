// `clipdex check-progress`: a small client of a running server's /api/progress routes (inventory §1.5), so the
// CLI shows background jobs the same way the panels do.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <fmt/core.h>

#include <chrono>
#include <thread>

#include "auth/cli_session.hpp"
#include "jobs/job_commands.hpp"

namespace clipdex::jobs {
namespace {

CommandError unreachable(const std::string& url, const std::string& why) {
    return CommandError(CDX_E_UNAVAILABLE,
                        "cannot reach the clipdex server at " + url + " (" + why +
                            "); start it with 'clipdex serve' or point --api-url at it",
                        json{{"code", "SERVER_UNREACHABLE"}, {"field", "api_url"}});
}

/// GET the IngestProgress of `job_id` (latest when empty) from the server at `api_url`.
json fetchProgress(const std::string& api_url, const std::string& job_id) {
    Poco::URI uri;
    try {
        uri = Poco::URI(api_url);
    } catch (const Poco::SyntaxException& error) {
        throw CommandError(CDX_E_INVALID_ARGUMENT, "--api-url: not a URL: " + api_url, json{{"field", "api_url"}});
    }
    if (uri.getScheme() != "http" || uri.getHost().empty())
        throw CommandError(CDX_E_INVALID_ARGUMENT, "--api-url: give an http:// URL such as http://localhost:8000",
                           json{{"field", "api_url"}});
    std::string base = uri.getPath();
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (base.size() < 4 || base.compare(base.size() - 4, 4, "/api") != 0) base += "/api";
    Poco::URI target(uri);
    target.setPath(base + "/progress" + (job_id.empty() ? "" : "/" + job_id));
    target.setQuery("");

    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target.getPathEtc(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (const auto credential = auth::loadCliSession()) request.set("Authorization", "Bearer " + credential->token);
    Poco::Net::HTTPResponse response;
    std::string text;
    try {
        session.sendRequest(request);
        Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    } catch (const Poco::Net::ConnectionRefusedException&) {
        throw unreachable(api_url, "connection refused");
    } catch (const Poco::Exception& error) {
        throw unreachable(api_url, error.displayText());
    }
    const json body = json::parse(text, nullptr, false);
    const int status = static_cast<int>(response.getStatus());
    if (status == 404 && body.is_object() && body.contains("error"))
        throw CommandError(CDX_E_NOT_FOUND, body["error"].get<std::string>(), json{{"code", "JOB_NOT_FOUND"}});
    if (status == 401)
        throw CommandError(CDX_E_UNAUTHENTICATED,
                           "the server at " + api_url + " needs a login; run 'clipdex auth login'");
    if (status != 200 || !body.is_object())
        throw CommandError(CDX_E_IO, fmt::format("the server at {} answered {}: {}", api_url, status,
                                                 body.is_object() ? body.value("error", text) : text));
    return body.contains("data") && body["data"].is_object() ? body["data"] : body;
}

bool ended(const json& progress) {
    const std::string status = progress.value("status", "");
    return status == "completed" || status == "failed" || status == "cancelled" || status == "idle";
}

}  // namespace

json checkProgress(const json& args, const std::shared_ptr<CancelToken>& cancel) {
    const std::string api_url = args.value("api_url", std::string("http://localhost:8000"));
    std::string job_id = args.value("job", std::string());
    json progress = fetchProgress(api_url, job_id);
    if (!args.value("watch", false)) return progress;
    // Follow the job found first, not whichever becomes the latest later.
    if (job_id.empty()) job_id = progress.value("job_id", std::string());
    std::string last_line;
    for (;;) {
        const std::string line =
            fmt::format("{} {}% {}/{} {}", progress.value("status", ""), progress.value("progress", 0),
                        progress.value("processed_count", 0) + progress.value("failed_count", 0),
                        progress.value("total_count", 0), progress.value("message", ""));
        if (line != last_line) {
            fmt::print(stderr, "{}\n", line);  // stdout stays the final document (--format json)
            std::fflush(stderr);
            last_line = line;
        }
        if (ended(progress) || cancel->cancelled()) return progress;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        progress = fetchProgress(api_url, job_id);
    }
}

}  // namespace clipdex::jobs

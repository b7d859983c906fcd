#include "http/session_cookie.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Timestamp.h>

#include <algorithm>

namespace clipdex::http {

std::optional<auth::Credential> credentialFrom(const Poco::Net::HTTPServerRequest& request) {
    const std::string authorization = request.get("Authorization", "");
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() > kBearer.size() &&
        std::equal(kBearer.begin(), kBearer.end(), authorization.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
        std::string token = authorization.substr(kBearer.size());
        token.erase(0, token.find_first_not_of(' '));
        if (!token.empty()) return auth::Credential{token, "bearer"};
    }
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    const std::string cookie = cookies.get(kSessionCookie, "");
    if (!cookie.empty()) return auth::Credential{cookie, "cookie"};
    return std::nullopt;
}

void setSessionCookie(Poco::Net::HTTPServerResponse& response, const json& session) {
    if (!session.is_object() || !session.contains("token") || !session["token"].is_string()) return;
    Poco::Net::HTTPCookie cookie(kSessionCookie, session["token"].get<std::string>());
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
    if (session.contains("expires_at") && session["expires_at"].is_string()) {
        Poco::DateTime expires;
        int zone = 0;
        if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT,
                                           session["expires_at"].get<std::string>(), expires, zone)) {
            const auto seconds = (expires.timestamp() - Poco::Timestamp()) / Poco::Timestamp::resolution();
            cookie.setMaxAge(static_cast<int>(std::max<Poco::Timestamp::TimeDiff>(0, seconds - zone)));
        }
    }
    response.addCookie(cookie);
}

void clearSessionCookie(Poco::Net::HTTPServerResponse& response) {
    Poco::Net::HTTPCookie cookie(kSessionCookie, "");
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
    cookie.setMaxAge(0);
    response.addCookie(cookie);
}

}  // namespace clipdex::http

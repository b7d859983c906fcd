// The session cookie the panel relies on (it sends cookies, not Authorization headers): reading the caller's
// credential from a request and setting or clearing the cookie after `auth login` / `auth logout`.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>

#include "auth/identity.hpp"
#include "core/json.hpp"

namespace clipdex::http {

inline constexpr const char* kSessionCookie = "clipdex_session";

/// "Authorization: Bearer <token>" first, else the session cookie; nothing when neither is present.
std::optional<auth::Credential> credentialFrom(const Poco::Net::HTTPServerRequest& request);

/// HttpOnly, SameSite=Lax, Path=/ cookie carrying session.token until session.expires_at.
void setSessionCookie(Poco::Net::HTTPServerResponse& response, const json& session);
void clearSessionCookie(Poco::Net::HTTPServerResponse& response);

}  // namespace clipdex::http

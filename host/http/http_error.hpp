// A request the router rejects before any command runs (bad JSON, body too large, bad URI...).
#pragma once

#include <stdexcept>
#include <string>

#include "core/json.hpp"

namespace clipdex::http {

class HttpError : public std::runtime_error {
public:
    HttpError(int status, std::string code, const std::string& message, json extra = json::object())
        : std::runtime_error(message), status_(status), code_(std::move(code)), extra_(std::move(extra)) {}

    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }
    const json& extra() const noexcept { return extra_; }
    /// Part of the request body is still unread: the connection cannot be reused for another request.
    bool bodyLeftUnread() const noexcept { return body_left_unread_; }
    HttpError& markBodyLeftUnread() noexcept {
        body_left_unread_ = true;
        return *this;
    }

private:
    int status_;
    std::string code_;
    json extra_;
    bool body_left_unread_ = false;
};

}  // namespace clipdex::http

#include "util.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace accounts {

std::string isoTime(SystemClock::time_point when) {
    const std::time_t seconds = SystemClock::to_time_t(when);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::optional<SystemClock::time_point> parseIsoTime(std::string_view text) {
    if (text.size() < 19) return std::nullopt;
    const std::string head(text.substr(0, 19));
    std::tm parts{};
    char separator = 0;
    if (std::sscanf(head.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &parts.tm_year, &parts.tm_mon, &parts.tm_mday, &separator,
                    &parts.tm_hour, &parts.tm_min, &parts.tm_sec) != 7 ||
        (separator != 'T' && separator != ' '))
        return std::nullopt;
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    const std::time_t seconds = timegm(&parts);
    if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
    return SystemClock::from_time_t(seconds);
}

void invalidField(const std::string& field, const std::string& message) {
    throw clipdex::Error(CDX_E_INVALID_ARGUMENT, message, {{"field", field}});
}

std::string normalizeEmail(std::string_view raw) {
    std::size_t begin = 0, end = raw.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(raw[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(raw[end - 1]))) --end;
    std::string email(raw.substr(begin, end - begin));
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const char* const shape = "'email' must be an address like name@example.com";
    if (email.empty()) invalidField("email", "'email' is required: give the account's email address");
    if (email.size() > 254) invalidField("email", "'email' is too long (at most 254 characters)");
    for (const unsigned char c : email)
        if (c <= 0x20 || c == 0x7f || c == '"' || c == ',' || c == ';' || c == '<' || c == '>' || c == '(' ||
            c == ')' || c == '\\')
            invalidField("email", shape);
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos || at > 64)
        invalidField("email", shape);
    const std::string domain = email.substr(at + 1);
    if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.' ||
        domain.find("..") != std::string::npos || domain.front() == '-')
        invalidField("email", shape);
    return email;
}

void checkPasswordPolicy(std::string_view password, std::size_t min_chars) {
    std::size_t chars = 0;
    for (const unsigned char c : password)
        if ((c & 0xC0) != 0x80) ++chars;  // count UTF-8 code points, not bytes
    if (chars < min_chars)
        invalidField("password", "'password' must be at least " + std::to_string(min_chars) +
                                     " characters long; choose a longer passphrase");
    if (password.size() > 1024) invalidField("password", "'password' is too long (at most 1024 bytes)");
}

std::string stringArg(const json& args, const char* name) {
    const auto found = args.find(name);
    return found != args.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::int64_t configInt(const clipdex::Host& host, const char* key, std::int64_t fallback, std::int64_t low,
                       std::int64_t high) {
    json value;
    try {
        value = host.config(key);
    } catch (const std::exception&) {
        return fallback;
    }
    if (!value.is_number()) return fallback;
    const double number = value.get<double>();
    if (number < static_cast<double>(low)) return low;
    if (number > static_cast<double>(high)) return high;
    return static_cast<std::int64_t>(number);
}

}  // namespace accounts

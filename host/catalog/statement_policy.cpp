#include "catalog/statement_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include "catalog/catalog.hpp"

namespace clipdex::catalog {
namespace {

std::string_view typeWord(const json& value) {
    if (value.is_array()) return "an array";
    if (value.is_object()) return "an object";
    return value.type_name();
}

// Skips whitespace, "-- ..." and "/* ... */" so a comment cannot hide the statement's first keyword.
std::size_t skipBlankAndComments(std::string_view sql, std::size_t i) {
    while (i < sql.size()) {
        if (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == ';') {
            ++i;
        } else if (sql.compare(i, 2, "--") == 0) {
            const auto end = sql.find('\n', i);
            i = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (sql.compare(i, 2, "/*") == 0) {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else {
            break;
        }
    }
    return i;
}

}  // namespace

const json& paramsObject(const json& params) {
    static const json kNone = json::object();
    if (params.is_null()) return kNone;
    if (!params.is_object())
        throw CatalogError(CDX_E_INVALID_ARGUMENT, "catalog parameters must be a JSON object of name -> value, not " +
                                                       std::string(typeWord(params)));
    return params;
}

void checkParamNames(const std::vector<std::string>& placeholders, const json& params) {
    for (const auto& name : placeholders) {
        if (!params.contains(name))
            throw CatalogError(CDX_E_INVALID_ARGUMENT, "missing parameter '" + name + "': the SQL uses :" + name +
                                                           " but params has no \"" + name + "\"");
    }
    for (const auto& item : params.items()) {
        if (std::find(placeholders.begin(), placeholders.end(), item.key()) == placeholders.end())
            throw CatalogError(CDX_E_INVALID_ARGUMENT, "unknown parameter '" + item.key() +
                                                           "': the SQL has no :" + item.key() + " placeholder");
    }
}

BindValue toBindValue(const std::string& name, const json& value) {
    switch (value.type()) {
        case json::value_t::null: return nullptr;
        case json::value_t::boolean: return std::int64_t{value.get<bool>() ? 1 : 0};
        case json::value_t::number_integer: return value.get<std::int64_t>();
        case json::value_t::number_unsigned: {
            const auto unsigned_value = value.get<std::uint64_t>();
            if (unsigned_value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                throw CatalogError(CDX_E_INVALID_ARGUMENT,
                                   "parameter '" + name + "' is larger than a signed 64-bit integer");
            return static_cast<std::int64_t>(unsigned_value);
        }
        case json::value_t::number_float: return value.get<double>();
        case json::value_t::string: return value.get<std::string>();
        default:
            throw CatalogError(CDX_E_INVALID_ARGUMENT, "parameter '" + name + "' is " + std::string(typeWord(value)) +
                                                           "; bind strings, numbers, booleans or null (pass JSON "
                                                           "documents as text)");
    }
}

bool isTransactionControl(std::string_view sql) {
    static constexpr std::array<std::string_view, 8> kKeywords = {"BEGIN",     "COMMIT",  "END",   "ROLLBACK",
                                                                  "SAVEPOINT", "RELEASE", "START", "ABORT"};
    const std::size_t start = skipBlankAndComments(sql, 0);
    std::size_t end = start;
    while (end < sql.size() && std::isalpha(static_cast<unsigned char>(sql[end]))) ++end;
    std::string word(sql.substr(start, end - start));
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

}  // namespace clipdex::catalog

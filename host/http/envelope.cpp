#include "http/envelope.hpp"

#include <chrono>

#include "core/status.hpp"

namespace clipdex::http {

double unixTimestamp() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json successEnvelope(json data, std::string_view message) {
    json envelope = {{"success", true}, {"message", message}, {"timestamp", unixTimestamp()}};
    if (!data.is_null()) envelope["data"] = std::move(data);
    return envelope;
}

json errorEnvelope(std::string_view message, std::string_view code, const json& extra) {
    json envelope = {{"success", false}, {"error", message}, {"code", code}, {"timestamp", unixTimestamp()}};
    if (extra.is_object())
        for (const auto& [key, value] : extra.items())
            if (!envelope.contains(key)) envelope[key] = value;
    return envelope;
}

bool usesEnvelope(const CommandDecl& decl) {
    if (!decl.output.is_object()) return true;
    const auto flag = decl.output.find("http_envelope");
    return flag == decl.output.end() || !flag->is_boolean() || flag->get<bool>();
}

HttpReply replyFor(const CommandDecl& decl, const Outcome& outcome) {
    if (!outcome.ok()) {
        std::string code(errorCodeFor(outcome.status));
        json extra = json::object();
        if (outcome.details.is_object()) {
            const auto given = outcome.details.find("code");
            if (given != outcome.details.end() && given->is_string()) code = given->get<std::string>();
            // Surface the offending argument like the router's own validation errors do; anything else a
            // plugin attached stays available under "details".
            const auto field = outcome.details.find("field");
            if (field != outcome.details.end() && field->is_string()) extra["field"] = *field;
            json rest = outcome.details;
            rest.erase("code");
            rest.erase("field");
            if (!rest.empty()) extra["details"] = std::move(rest);
        }
        const std::string message = outcome.message.empty() ? std::string(statusName(outcome.status)) : outcome.message;
        return {httpStatusFor(outcome.status), errorEnvelope(message, code, extra)};
    }

    json records = json::array();
    for (const json& record : outcome.records) records.push_back(record);
    json data = outcome.result;
    if (data.is_null() && !outcome.records.empty()) data = std::move(records);
    if (!decl.http_body.empty()) {
        const json::json_pointer pointer(decl.http_body);
        return {decl.http_status, data.contains(pointer) ? data.at(pointer) : json(nullptr)};
    }
    if (!usesEnvelope(decl)) return {decl.http_status, data};

    json lifted = json::object();
    if (data.is_object()) {
        for (const std::string& entry : decl.http_lift) {
            if (entry == "*") {
                lifted.update(data);
                continue;
            }
            const auto equals = entry.find('=');
            if (equals == std::string::npos) {
                if (data.contains(entry)) lifted[entry] = data[entry];
                continue;
            }
            const json::json_pointer pointer(entry.substr(equals + 1));  // checked when the manifest was parsed
            if (data.contains(pointer)) lifted[entry.substr(0, equals)] = data.at(pointer);
        }
        for (const auto& [from, to] : decl.http_rename) {
            const auto found = data.find(from);
            if (found == data.end()) continue;
            json moved = std::move(*found);
            data.erase(from);
            data[to] = std::move(moved);
        }
        for (const std::string& key : decl.http_omit) data.erase(key);
    }
    json envelope = successEnvelope(std::move(data));
    if (!outcome.result.is_null() && !outcome.records.empty()) envelope["records"] = std::move(records);
    // A lifted message stands in for the default "Success" (progress documents carry their own); success,
    // timestamp and data stay the envelope's.
    for (auto& [key, value] : lifted.items())
        if (!envelope.contains(key) || (key == "message" && value.is_string())) envelope[key] = std::move(value);
    return {decl.http_status, std::move(envelope)};
}

}  // namespace clipdex::http

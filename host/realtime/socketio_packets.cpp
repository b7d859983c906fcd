#include "realtime/socketio_packets.hpp"

#include <cctype>
#include <charconv>

namespace clipdex::realtime {

std::vector<std::string> splitPayload(std::string_view body) {
    std::vector<std::string> packets;
    std::size_t start = 0;
    while (start <= body.size()) {
        const std::size_t end = body.find(kRecordSeparator, start);
        const std::string_view packet = body.substr(start, end == std::string_view::npos ? end : end - start);
        if (!packet.empty()) packets.emplace_back(packet);
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return packets;
}

std::string joinPayload(const std::vector<std::string>& packets) {
    std::string body;
    for (const std::string& packet : packets) {
        if (!body.empty()) body += kRecordSeparator;
        body += packet;
    }
    return body;
}

std::optional<SioPacket> parseSioPacket(std::string_view text, std::string& error) {
    if (text.empty() || text[0] < '0' || text[0] > '6') {
        error = "not a Socket.IO packet (expected a type digit 0-6)";
        return std::nullopt;
    }
    if (text[0] == '5' || text[0] == '6') {
        error = "binary Socket.IO packets are not supported";
        return std::nullopt;
    }
    SioPacket packet;
    packet.type = static_cast<SioType>(text[0] - '0');
    std::size_t at = 1;
    if (at < text.size() && text[at] == '/') {
        const std::size_t comma = text.find(',', at);
        packet.nsp = std::string(text.substr(at, comma == std::string_view::npos ? comma : comma - at));
        at = comma == std::string_view::npos ? text.size() : comma + 1;
    }
    const std::size_t digits_end = [&] {
        std::size_t end = at;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
        return end;
    }();
    if (digits_end > at) {
        std::uint64_t id = 0;
        const auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + digits_end, id);
        if (ec != std::errc() || ptr != text.data() + digits_end) {
            error = "invalid acknowledgement id";
            return std::nullopt;
        }
        packet.ack_id = id;
        at = digits_end;
    }
    if (at < text.size()) {
        packet.data = json::parse(text.substr(at), nullptr, /*allow_exceptions=*/false);
        if (packet.data.is_discarded()) {
            error = "the packet's payload is not valid JSON";
            return std::nullopt;
        }
    }
    return packet;
}

std::string encodeSioMessage(const SioPacket& packet) {
    std::string text(1, eio::kMessage);
    text += static_cast<char>('0' + static_cast<int>(packet.type));
    if (packet.nsp != "/") text += packet.nsp + ",";
    if (packet.ack_id) text += std::to_string(*packet.ack_id);
    if (!packet.data.is_null()) text += dumpJson(packet.data);
    return text;
}

std::string eventMessage(const std::string& name, const json& payload) {
    return encodeSioMessage(SioPacket{SioType::Event, "/", std::nullopt, json::array({name, payload})});
}

}  // namespace clipdex::realtime

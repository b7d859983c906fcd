// The Engine.IO v4 and Socket.IO v5 text encodings (https://socket.io/docs/v4/engine-io-protocol/,
// https://socket.io/docs/v4/socket-io-protocol/). Pure logic so malformed input is unit-testable.
//   Engine.IO packet: one type digit + data: 0 open, 1 close, 2 ping, 3 pong, 4 message, 5 upgrade, 6 noop.
//   Polling payload: packets joined by the record separator \x1e.
//   Socket.IO packet (inside an Engine.IO message): <type>[<namespace>,][<ack id>][<JSON>], with types
//   0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR (5 and 6 are binary, which clipdex does not use).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace clipdex::realtime {

inline constexpr char kRecordSeparator = '\x1e';

namespace eio {
inline constexpr char kOpen = '0';
inline constexpr char kClose = '1';
inline constexpr char kPing = '2';
inline constexpr char kPong = '3';
inline constexpr char kMessage = '4';
inline constexpr char kUpgrade = '5';
inline constexpr char kNoop = '6';
}  // namespace eio

std::vector<std::string> splitPayload(std::string_view body);
std::string joinPayload(const std::vector<std::string>& packets);

enum class SioType { Connect = 0, Disconnect = 1, Event = 2, Ack = 3, ConnectError = 4 };

struct SioPacket {
    SioType type = SioType::Event;
    std::string nsp = "/";
    std::optional<std::uint64_t> ack_id;
    json data;  // null when the packet carries none
};

/// Parses a Socket.IO packet (the Engine.IO message data). nullopt with `error` set when malformed.
std::optional<SioPacket> parseSioPacket(std::string_view text, std::string& error);

/// The Engine.IO message packet ("4…") carrying `packet`.
std::string encodeSioMessage(const SioPacket& packet);

/// "42[name,payload]" on the default namespace.
std::string eventMessage(const std::string& name, const json& payload);

}  // namespace clipdex::realtime

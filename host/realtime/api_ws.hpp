// GET /api/ws: clipdex's own WebSocket for live job progress (docs/service/realtime.md). JSON text messages:
//   client: {"type":"subscribe","job_id"?}, {"type":"unsubscribe","job_id"?}, {"type":"ping"}
//   server: {"type":"subscribed","job_id","progress"}, {"type":"unsubscribed","job_id"},
//           {"type":"progress_update","job_id","progress"}, {"type":"pong","timestamp"},
//           {"type":"heartbeat","timestamp"}, {"type":"error","message"}
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

namespace clipdex::http {
struct ServerState;
}

namespace clipdex::realtime {

inline constexpr const char* kApiWsPath = "/api/ws";

class ApiWsRequestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit ApiWsRequestHandler(http::ServerState& state) : state_(state) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    http::ServerState& state_;
};

}  // namespace clipdex::realtime

// Replies for commands declaring "response": "file": the command names a file, the host checks that it lies
// under an allowed root and sends it with validators (ETag, Last-Modified), Cache-Control and 304s.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <filesystem>
#include <vector>

#include "core/json.hpp"

namespace clipdex::http {

/// Sends the file `result` names ({"path", "content_type", "max_age_seconds"}). Throws HttpError 404 when
/// it is missing, 403 when it resolves outside every root, 500 when the result is malformed. Returns the
/// status sent (200 or 304).
int sendFileReply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const json& result,
                  const std::vector<std::filesystem::path>& roots);

/// True when `path` (resolved, symlinks followed) lies inside one of `roots` (resolved likewise).
bool insideRoots(const std::filesystem::path& path, const std::vector<std::filesystem::path>& roots);

}  // namespace clipdex::http

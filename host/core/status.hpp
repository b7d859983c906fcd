// One table maps cdx_status to names, HTTP statuses and CLI exit codes (docs/adr/0004).
#pragma once

#include <clipdex/abi.h>

#include <string_view>

namespace clipdex {

/// Stable upper-case name, e.g. "INVALID_ARGUMENT"; "UNKNOWN_STATUS" for values this host does not know.
std::string_view statusName(cdx_status status) noexcept;
/// HTTP status for a failed command.
int httpStatusFor(cdx_status status) noexcept;
/// The API envelope's error code when the plugin gave none (the original tool's codes where they exist).
std::string_view errorCodeFor(cdx_status status) noexcept;

/// CLI exit codes (the original tool's contract).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace clipdex

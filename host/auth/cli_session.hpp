// The CLI's login session: `auth login` leaves {"token", "expires_at"} in <XDG config>/clipdex/session.json
// (mode 0600, written atomically); later CLI calls present it; `auth logout` removes it.
#pragma once

#include <filesystem>
#include <optional>

#include "auth/identity.hpp"
#include "core/json.hpp"

namespace clipdex::auth {

std::filesystem::path cliSessionPath();
/// The stored session as a credential (source "cli"), or nothing when there is none or it is unreadable.
std::optional<Credential> loadCliSession();
/// Stores {"token", "expires_at"}; throws std::runtime_error naming the file when it cannot be written.
void saveCliSession(const json& session);
void clearCliSession();

}  // namespace clipdex::auth

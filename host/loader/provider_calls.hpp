// Calls from one plugin into another plugin's search backend or embedding provider (clipdex.dispatch/1).
// The child call shares the parent's request id, principal and cancellation, so a cancelled search also
// stops the backends it fans out to.
#pragma once

#include <string_view>

#include "core/command.hpp"
#include "loader/plugin_registry.hpp"

namespace clipdex {

/// Runs backend `backend_id`'s query; the result is {"summary": ..., "hits": [...]}. Never throws.
Outcome callSearchBackend(PluginRegistry& registry, const Invocation& parent, std::string_view backend_id,
                          const json& query) noexcept;

/// Runs provider `provider_id`'s embed; the result is the provider's answer plus "provider". Never throws.
Outcome callEmbeddingProvider(PluginRegistry& registry, const Invocation& parent, std::string_view provider_id,
                              const json& request) noexcept;

/// Runs auth provider `provider_id`'s authenticate on `request`; the result is the principal. Never throws.
Outcome callAuthProvider(PluginRegistry& registry, const Invocation& parent, std::string_view provider_id,
                         const json& request) noexcept;

}  // namespace clipdex

#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <dream/runtime.hpp>
#include <dream/services/broadcaster.hpp>

#include "types/chat_message.hpp"

namespace chat {

/// What every request shares (Dream's services.gleam): the chat's pub/sub, where the assets
/// are, and the token the upgrade requires, if any.
struct Services {
  dream::services::broadcaster::Broadcaster<types::ChatMessage> pubsub;
  std::filesystem::path assets;
  std::optional<std::string> token;
};

/// Starts the services under `runtime`.
Services initialize(dream::Runtime& runtime, std::filesystem::path assets,
                    std::optional<std::string> token);

}  // namespace chat

#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <dream/runtime.hpp>
#include <dream/services/broadcaster.hpp>

#include "services/stats_service.hpp"
#include "types/chat_event.hpp"

namespace chat {

/// What every request shares (Dream's services.gleam): the chat's pub/sub (its messages
/// rendered once by the publisher), where the assets are, the token the upgrade requires, if
/// any, and the live numbers for the dashboard.
struct Services {
  dream::services::broadcaster::Broadcaster<types::ChatEvent> pubsub;
  std::filesystem::path assets;
  std::optional<std::string> token;
  services::StatsService stats;
};

/// Starts the services under `runtime`; the dashboard's numbers are published every
/// `stats_interval`.
Services initialize(dream::Runtime& runtime, std::filesystem::path assets,
                    std::optional<std::string> token,
                    std::chrono::milliseconds stats_interval = std::chrono::seconds(1));

}  // namespace chat

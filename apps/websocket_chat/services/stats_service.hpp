#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include <dream/runtime.hpp>
#include <dream/services/broadcaster.hpp>

#include "types/chat_event.hpp"
#include "types/chat_stats.hpp"

namespace chat::services {

class Ticker;

/// The chat's live numbers: an actor that watches the chat broadcaster (joins, leaves,
/// messages) and, every tick, publishes a ChatStats on `bus`. Copies share one ticker thread,
/// which stops when the last copy goes.
struct StatsService {
  dream::services::broadcaster::Broadcaster<types::ChatStats> bus;
  std::shared_ptr<Ticker> ticker;
};

/// Starts the stats actor under `runtime`, listening to `chat`, ticking every `interval`.
StatsService start_stats_service(
    dream::Runtime& runtime,
    const dream::services::broadcaster::Broadcaster<types::ChatEvent>& chat,
    std::chrono::milliseconds interval);

}  // namespace chat::services

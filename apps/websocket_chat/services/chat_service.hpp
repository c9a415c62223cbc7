#pragma once

#include <dream/runtime.hpp>
#include <dream/services/broadcaster.hpp>

#include "types/chat_event.hpp"

namespace chat::services {

/// The chat room's broadcaster (Dream's services/chat_service.gleam).
dream::services::broadcaster::Broadcaster<types::ChatEvent> start_chat_broadcaster(
    dream::Runtime& runtime);

}  // namespace chat::services

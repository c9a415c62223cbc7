#include "types/chat_event.hpp"

#include <utility>

namespace chat::types {

ChatEvent make_event(ChatMessage message) {
  auto frame = dream::servers::beast::websocket::prepare_text(to_json(message));
  return ChatEvent{std::move(message), std::move(frame)};
}

}  // namespace chat::types

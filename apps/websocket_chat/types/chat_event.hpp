#pragma once

#include <dream/servers/beast/websocket.hpp>

#include "types/chat_message.hpp"

namespace chat::types {

/// A chat message as it travels on the chat's broadcaster: the message, and its wire form,
/// rendered (to_json) and framed once by the publisher. Every connection sends that one
/// frame, so a message to 1,000 members is serialised once, not 1,000 times.
struct ChatEvent {
  ChatMessage message;
  dream::servers::beast::websocket::PreparedMessage frame;
};

/// Renders `message` once, for every connection that will send it.
ChatEvent make_event(ChatMessage message);

}  // namespace chat::types

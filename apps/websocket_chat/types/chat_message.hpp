#pragma once

#include <string>
#include <variant>

// What travels on the chat broadcaster (Dream's types/chat_message.gleam).
namespace chat::types {

/// A line of chat from `user`.
struct TextMessage {
  std::string user;
  std::string text;
};
/// `user` connected.
struct UserJoined {
  std::string user;
};
/// `user`'s connection ended, however it ended.
struct UserLeft {
  std::string user;
};

using ChatMessage = std::variant<TextMessage, UserJoined, UserLeft>;

/// The wire form, made by a JSON library (Boost.JSON), never by string concatenation:
/// {"type":"message","user":…,"text":…}, {"type":"joined","user":…}, {"type":"left","user":…}.
std::string to_json(const ChatMessage& message);

}  // namespace chat::types

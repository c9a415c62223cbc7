#pragma once

#include <optional>
#include <string>

namespace feature_steps {

/// One frame of the chat protocol as a client receives it: {"type":"joined"|"message"|"left",
/// "user":N[,"text":T]}. `frame` keeps the frame exactly as it came, for failure messages.
struct ChatEvent {
  std::string type;
  std::string user;
  std::optional<std::string> text;
  std::string frame;
};

/// Parses a text frame with Boost.JSON. A frame that is not a chat event (not JSON, or a
/// field missing or not a string) gives an event whose type is empty, its frame kept.
ChatEvent parse_chat_event(const std::string& frame);

/// What a "should receive" step waits for: a type and a user, and for messages their text.
/// An absent text matches any event of that type and user.
struct ExpectedEvent {
  std::string type;
  std::string user;
  std::optional<std::string> text;

  bool matches(const ChatEvent& event) const;
  /// The event as the server would send it, e.g. {"type":"left","user":"Frank"}.
  std::string describe() const;
};

}  // namespace feature_steps

#include "types/chat_message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace chat::types {

std::string to_json(const ChatMessage& message) {
  boost::json::object object;
  std::visit(
      [&object](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, TextMessage>) {
          object["type"] = "message";
          object["user"] = m.user;
          object["text"] = m.text;
        } else if constexpr (std::is_same_v<M, UserJoined>) {
          object["type"] = "joined";
          object["user"] = m.user;
        } else {
          object["type"] = "left";
          object["user"] = m.user;
        }
      },
      message);
  return boost::json::serialize(object);
}

}  // namespace chat::types

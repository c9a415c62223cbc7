#include "types/chat_stats.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace chat::types {

std::string to_json(const ChatStats& stats) {
  boost::json::object object;
  object["users"] = stats.users;
  object["messages_per_second"] = stats.messages_per_second;
  object["messages"] = stats.messages;
  return boost::json::serialize(object);
}

}  // namespace chat::types

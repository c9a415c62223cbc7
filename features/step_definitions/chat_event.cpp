#include "chat_event.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace feature_steps {

namespace {

std::optional<std::string> string_field(const boost::json::object& object, const char* name) {
  const auto* field = object.if_contains(name);
  if (field == nullptr || !field->is_string()) {
    return std::nullopt;
  }
  return std::string(field->get_string());
}

}  // namespace

ChatEvent parse_chat_event(const std::string& frame) {
  ChatEvent event;
  event.frame = frame;
  boost::system::error_code error;
  const auto json = boost::json::parse(frame, error);
  if (error || !json.is_object()) {
    return event;
  }
  auto type = string_field(json.get_object(), "type");
  auto user = string_field(json.get_object(), "user");
  if (type && user) {
    event.type = std::move(*type);
    event.user = std::move(*user);
    event.text = string_field(json.get_object(), "text");
  }
  return event;
}

bool ExpectedEvent::matches(const ChatEvent& event) const {
  return event.type == type && event.user == user && (!text || event.text == text);
}

std::string ExpectedEvent::describe() const {
  boost::json::object object{{"type", type}, {"user", user}};
  if (text) {
    object["text"] = *text;
  }
  return boost::json::serialize(object);
}

}  // namespace feature_steps

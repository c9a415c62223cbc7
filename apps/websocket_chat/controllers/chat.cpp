#include "controllers/chat.hpp"

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <fmt/core.h>
#include <dream/servers/beast/websocket.hpp>

namespace chat::controllers::chat {
namespace {

namespace websocket = dream::servers::beast::websocket;
namespace broadcaster = dream::services::broadcaster;
using types::ChatMessage;

/// What the handlers need, passed explicitly (no closures).
struct ChatDependencies {
  std::string user;
  Services services;
};

/// A connection's state: who it is.
struct ChatState {
  std::string user;
};

std::pair<ChatState, std::optional<dream::process::Selector<ChatMessage>>> handle_websocket_init(
    websocket::Connection&, const ChatDependencies& deps) {
  // Subscribe first: the join notice published next reaches this connection too.
  auto channel = broadcaster::subscribe(deps.services.pubsub);
  (void)broadcaster::publish(deps.services.pubsub, types::UserJoined{deps.user});
  fmt::print("[chat] {} connected\n", deps.user);
  return {ChatState{deps.user}, broadcaster::channel_to_selector(channel)};
}

websocket::Action<ChatState, ChatMessage> handle_websocket_message(
    ChatState state, websocket::Message<ChatMessage> message, websocket::Connection& connection,
    const ChatDependencies& deps) {
  if (auto* text = std::get_if<websocket::TextMessage>(&message)) {
    (void)broadcaster::publish(deps.services.pubsub,
                               types::TextMessage{state.user, std::move(text->text)});
  } else if (auto* chat = std::get_if<websocket::CustomMessage<ChatMessage>>(&message)) {
    auto sent = websocket::send_text(connection, types::to_json(chat->value));
    if (!sent && sent.error() == websocket::SendError::backpressure) {
      fmt::print(stderr, "[chat] error: {} is not reading; a message to them was dropped\n",
                 state.user);
    }
  } else if (auto* closed = std::get_if<websocket::ConnectionClosed>(&message)) {
    fmt::print("[chat] {} disconnected (close code {})\n", state.user, closed->code);
  }
  // Binary frames are ignored; the connection stays usable.
  return websocket::continue_connection(std::move(state));
}

void handle_websocket_close(ChatState state, const ChatDependencies& deps) {
  (void)broadcaster::publish(deps.services.pubsub, types::UserLeft{state.user});
}

bool authorized(const dream::http::Request& request, const std::string& token) {
  if (request.query_param("token") == token) {
    return true;
  }
  auto header = request.header("Authorization");
  return header && *header == "Bearer " + token;
}

}  // namespace

dream::http::Response handle_chat_upgrade(const dream::http::Request& request, dream::EmptyContext&,
                                          const Services& services) {
  if (services.token && !authorized(request, *services.token)) {
    fmt::print(stderr, "[chat] error: upgrade refused: missing or wrong token\n");
    return dream::http::unauthorized("Invalid auth token");
  }
  auto user = request.query_param("user").value_or("Anonymous");
  if (user.empty()) {
    user = "Anonymous";
  }
  return websocket::upgrade_websocket(request, ChatDependencies{std::move(user), services},
                                      handle_websocket_init, handle_websocket_message,
                                      handle_websocket_close);
}

}  // namespace chat::controllers::chat

#include "controllers/chat.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <fmt/core.h>
#include <dream/http/headers.hpp>
#include <dream/servers/beast/websocket.hpp>

namespace chat::controllers::chat {
namespace {

namespace websocket = dream::servers::beast::websocket;
namespace broadcaster = dream::services::broadcaster;
using types::ChatEvent;
using types::make_event;

/// What the handlers need, passed explicitly (no closures).
/// Every connection's process holds its own copy: only the pub/sub handle, not all of Services
/// (whose assets path and token cost each idle connection about 400 bytes).
struct ChatDependencies {
  std::string user;
  bool announce;  // false: joins and leaves silently (?announce=0)
  dream::services::broadcaster::Broadcaster<ChatEvent> pubsub;
};

/// A connection's state: who it is.
struct ChatState {
  std::string user;
};

std::pair<ChatState, std::optional<dream::process::Selector<ChatEvent>>> handle_websocket_init(
    websocket::Connection&, const ChatDependencies& deps) {
  // Subscribe first: the join notice published next reaches this connection too.
  auto channel = broadcaster::subscribe(deps.pubsub);
  if (deps.announce) {
    (void)broadcaster::publish(deps.pubsub, make_event(types::UserJoined{deps.user}));
  }
  fmt::print("[chat] {:?} connected\n", deps.user);
  return {ChatState{deps.user}, broadcaster::channel_to_selector(channel)};
}

websocket::Action<ChatState, ChatEvent> handle_websocket_message(
    ChatState state, websocket::Message<ChatEvent> message, websocket::Connection& connection,
    const ChatDependencies& deps) {
  if (auto* text = std::get_if<websocket::TextMessage>(&message)) {
    (void)broadcaster::publish(deps.pubsub,
                               make_event(types::TextMessage{state.user, std::move(text->text)}));
  } else if (auto* chat = std::get_if<websocket::CustomMessage<ChatEvent>>(&message)) {
    // The frame the publisher rendered: shared with every member, not serialised again.
    auto sent = websocket::send_prepared(connection, chat->value.frame);
    if (!sent && sent.error() == websocket::SendError::backpressure) {
      // Once per connection: the server's slow-consumer policy closes it (1008), and later
      // sends fail as closed.
      fmt::print(stderr,
                 "[chat] error: {:?} is not reading; their connection is closed as a slow "
                 "consumer\n",
                 state.user);
    }
  } else if (auto* closed = std::get_if<websocket::ConnectionClosed>(&message)) {
    fmt::print("[chat] {:?} disconnected (close code {})\n", state.user, closed->code);
  }
  // Binary frames are ignored; the connection stays usable.
  return websocket::continue_connection(std::move(state));
}

void handle_websocket_close(ChatState state, const ChatDependencies& deps) {
  if (deps.announce) {
    (void)broadcaster::publish(deps.pubsub, make_event(types::UserLeft{state.user}));
  }
}

// Compares in time that does not depend on where the first difference is.
bool same_secret(std::string_view given, std::string_view secret) {
  if (secret.empty()) {
    return false;  // no secret matches nothing, rather than everything
  }
  unsigned char difference = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ secret[i % secret.size()]);
  }
  return difference == 0;
}

bool authorized(const dream::http::Request& request, const std::string& token) {
  if (auto query = request.query_param("token")) {
    return same_secret(*query, token);
  }
  auto header = request.header("Authorization");
  constexpr std::string_view scheme = "bearer ";
  return header && header->size() > scheme.size() &&
         dream::http::iequals(header->substr(0, scheme.size()), scheme) &&
         same_secret(header->substr(scheme.size()), token);
}

// True if `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
// A name goes into every client's text frames, which must be valid UTF-8.
bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      low = c == 0xE0 ? 0xA0 : 0x80;
      high = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      low = c == 0xF0 ? 0x90 : 0x80;
      high = c == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < (k == 1 ? low : 0x80) || b > (k == 1 ? high : 0xBF)) {
        return false;
      }
    }
    i += length;
  }
  return true;
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
  if (!is_utf8(user)) {
    fmt::print(stderr, "[chat] error: upgrade refused: the user name is not valid UTF-8\n");
    return dream::http::bad_request("the user name must be valid UTF-8");
  }
  // A quiet member (the benchmarks open thousands) is not announced when it joins or leaves.
  const bool announce = request.query_param("announce").value_or("1") != "0";
  return websocket::upgrade_websocket(
      request, ChatDependencies{std::move(user), announce, services.pubsub}, handle_websocket_init,
      handle_websocket_message, handle_websocket_close);
}

}  // namespace chat::controllers::chat

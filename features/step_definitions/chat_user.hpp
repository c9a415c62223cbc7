#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chat_event.hpp"
#include "ws_client.hpp"

namespace feature_steps {

/// How long a step waits, in all, for an event that should come. A passing run never gets
/// near it; it only bounds a failing one.
inline constexpr std::chrono::milliseconds event_patience = std::chrono::seconds(10);

/// One chat connection (a real WebSocket client) under a user's name, reading its own
/// events in order. Every wait is bounded; nothing is read that a step did not ask for.
class ChatUser {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  /// Connects to 127.0.0.1:`port` at `target` as `name` (the name the server will use);
  /// throws std::runtime_error naming the HTTP status when the upgrade is refused.
  ChatUser(std::string name, std::uint16_t port, const std::string& target,
           const Headers& headers = {});

  const std::string& name() const noexcept { return name_; }
  test_support::WsClient& client() noexcept { return client_; }

  /// What one search read: the event it found, if any, and every event before it in order
  /// (all of them when none matched), and why reading stopped without a match.
  struct Search {
    std::optional<ChatEvent> match;
    std::vector<ChatEvent> passed;
    std::string ended;
  };
  /// Reads this connection's events in order until one satisfies `wanted` (it and every
  /// event before it are consumed) or `patience` has passed in all.
  Search receive_until(const std::function<bool(const ChatEvent&)>& wanted,
                       std::chrono::milliseconds patience = event_patience);

  /// Closes with a close handshake, unless the connection is already closed; cuts the
  /// connection instead when the server has not answered within `patience`.
  void disconnect(std::chrono::milliseconds patience = event_patience);

 private:
  std::string name_;
  test_support::WsClient client_;
};

/// A failure message for a search that found nothing: which user waited for what, every
/// event that arrived instead, and how the wait ended.
std::string describe_miss(const ChatUser& user, const std::string& expected,
                          const ChatUser::Search& search);

}  // namespace feature_steps

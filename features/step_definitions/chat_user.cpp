#include "chat_user.hpp"

namespace feature_steps {

ChatUser::ChatUser(std::string name, std::uint16_t port, const std::string& target,
                   const Headers& headers)
    : name_(std::move(name)), client_(port, target, headers) {}

namespace {

ChatEvent event_of(const test_support::WsClient::Frame& frame) {
  if (frame.text) {
    return parse_chat_event(frame.data);
  }
  return ChatEvent{
      {}, {}, {}, "(a binary frame of " + std::to_string(frame.data.size()) + " bytes)"};
}

std::string why_closed(const test_support::WsClient& client) {
  // The client records no code when it cut the connection itself (an earlier wait timed out).
  return client.close_code() == 0
             ? std::string("the connection was closed")
             : "the connection closed (close code " + std::to_string(client.close_code()) + ")";
}

}  // namespace

ChatUser::Search ChatUser::receive_until(const std::function<bool(const ChatEvent&)>& wanted,
                                         std::chrono::milliseconds patience) {
  using std::chrono::steady_clock;
  const auto deadline = steady_clock::now() + patience;
  Search search;
  for (;;) {
    if (client_.closed()) {
      search.ended = why_closed(client_);
      return search;
    }
    // Rounded up, so a wait that gives up has really reached the deadline.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - steady_clock::now());
    auto frame = left > std::chrono::milliseconds::zero() ? client_.receive(left) : std::nullopt;
    if (!frame) {
      search.ended = steady_clock::now() >= deadline
                         ? "no further event within " + std::to_string(patience.count()) + " ms"
                         : why_closed(client_);
      return search;
    }
    auto event = event_of(*frame);
    if (wanted(event)) {
      search.match = std::move(event);
      return search;
    }
    search.passed.push_back(std::move(event));
  }
}

void ChatUser::disconnect(std::chrono::milliseconds patience) {
  if (!client_.closed()) {
    client_.close(1000, patience);
  }
}

std::string describe_miss(const ChatUser& user, const std::string& expected,
                          const ChatUser::Search& search) {
  std::string text = "user \"" + user.name() + "\" expected " + expected + "; received ";
  if (search.passed.empty()) {
    return text + "nothing, then " + search.ended;
  }
  text += "instead (" + std::to_string(search.passed.size()) + "):";
  for (const auto& event : search.passed) {
    text += "\n    " + event.frame;
  }
  return text + "\n  then " + search.ended;
}

}  // namespace feature_steps

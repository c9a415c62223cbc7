// Steps for features/websocket_chat.feature: the websocket_chat program, run for real, driven
// by real WebSocket clients. The phrases of Dream's own example are kept word for word, so
// its scenarios run here unchanged.
#include <doctest/doctest.h>

#include <dream/cucumber/autodetect.hpp>

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "chat_context.hpp"
#include "chat_url.hpp"
#include "http_context.hpp"

using cucumber::ScenarioScope;
using namespace feature_steps;

namespace {

// Makes the run's server for `token` this scenario's, for the WebSocket and HTTP steps alike.
void use_server(const std::optional<std::string>& token) {
  ScenarioScope<ChatContext> chat;
  ScenarioScope<HttpContext> http;
  auto server = shared_chat_server(token);
  // A shared program that died since the last scenario is reported, not quietly replaced.
  REQUIRE_MESSAGE(server->running(), "the chat program has exited; its output:\n"
                                         << server->output());
  chat->server = server;
  http->port = server->port();
}

// Waits on `user`'s own connection for `expected`, skipping other events; fails the step
// listing everything that arrived instead.
void expect_event(ChatUser& user, const ExpectedEvent& expected) {
  auto search = user.receive_until([&](const ChatEvent& e) { return expected.matches(e); });
  REQUIRE_MESSAGE(search.match.has_value(), describe_miss(user, expected.describe(), search));
}

// Connects `name` and waits for its own join, so whatever the scenario does next happens
// after this user is in the chat.
ChatUser& join(const std::string& name) {
  ScenarioScope<ChatContext> chat;
  REQUIRE_MESSAGE(!chat->users.contains(name),
                  "user \"" << name << "\" is already connected in this scenario");
  auto connection = chat->connect(name, chat->current_server().target_for(name));
  auto& user = *connection;
  chat->users.emplace(name, std::move(connection));
  expect_event(user, {"joined", name, std::nullopt});
  return user;
}

// Makes a new connection "mine"; the one before it, if any, leaves the chat first.
void connect_me(const std::string& target, const ChatUser::Headers& headers = {}) {
  ScenarioScope<ChatContext> chat;
  if (chat->me) {
    chat->me->disconnect();
  }
  chat->me = chat->connect(user_named_by(target), target, headers);
}

// The "I" steps' connection; fails the step when no step has made one.
ChatUser& me() {
  ScenarioScope<ChatContext> chat;
  REQUIRE_MESSAGE(chat->me != nullptr,
                  "no WebSocket connection of mine: no \"I upgrade to WebSocket\" or \"I connect "
                  "to WebSocket\" step came before");
  return *chat->me;
}

}  // namespace

// Dream's scenarios name its fixed port; here the program always takes a free one (started
// once, reused by later scenarios), so runs never collide.
GIVEN("^the server is running on port \\d+$") {
  use_server(std::nullopt);
}

GIVEN("^the server is running with token \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, token);
  use_server(token);
}

WHEN("^I upgrade to WebSocket at \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, target);
  connect_me(target);
}

WHEN("^I upgrade to WebSocket at \"([^\"]*)\" with header \"([^\"]*)\" set to \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, target);
  REGEX_PARAM(std::string, header);
  REGEX_PARAM(std::string, value);
  connect_me(target, {{header, value}});
}

WHEN("^I try to upgrade to WebSocket at \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, target);
  ScenarioScope<ChatContext> chat;
  chat->attempt_status =
      test_support::WsClient::handshake_status(chat->current_server().port(), target);
  if (*chat->attempt_status == 101) {
    ++chat->joins[chat->server];  // it joined (and left at once): the end of the scenario waits
  }
}

THEN("^the upgrade should be refused with status (\\d+)$") {
  REGEX_PARAM(unsigned, status);
  ScenarioScope<ChatContext> chat;
  REQUIRE_MESSAGE(chat->attempt_status.has_value(), "no \"I try to upgrade\" step came before");
  CHECK_EQ(*chat->attempt_status, status);
}

THEN("^the WebSocket connection should be established$") {
  auto& connection = me().client();
  // The server's 101 answered with the upgrade, and nothing has closed the connection since.
  CHECK_MESSAGE(
      boost::beast::iequals(connection.handshake_header("Upgrade"), "websocket"),
      "the handshake's Upgrade header was \"" << connection.handshake_header("Upgrade") << "\"");
  CHECK_FALSE(connection.closed());
}

THEN("^I should receive a \"([^\"]*)\" message for \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, type);
  REGEX_PARAM(std::string, user);
  expect_event(me(), {type, user, std::nullopt});
}

GIVEN("^I connect to WebSocket at \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, target);
  connect_me(target);
  expect_event(me(), {"joined", me().name(), std::nullopt});
}

WHEN("^I send WebSocket text \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, text);
  me().client().send_text(text);
}

THEN("^I should receive a \"([^\"]*)\" from \"([^\"]*)\" with text \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, type);
  REGEX_PARAM(std::string, user);
  REGEX_PARAM(std::string, text);
  expect_event(me(), {type, user, text});
}

GIVEN("^user \"([^\"]*)\" connects to the chat$") {
  REGEX_PARAM(std::string, name);
  join(name);
}

GIVEN("^(\\d+) users are connected to the chat$") {
  REGEX_PARAM(int, count);
  REQUIRE_MESSAGE((count >= 1 && count <= 1000), "between 1 and 1000 users, not " << count);
  for (int i = 1; i <= count; ++i) {
    join("Guest " + std::to_string(i));
  }
}

WHEN("^user \"([^\"]*)\" sends message \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, name);
  REGEX_PARAM(std::string, text);
  ScenarioScope<ChatContext> chat;
  chat->user(name).client().send_text(text);
}

WHEN("^user \"([^\"]*)\" sends a binary frame$") {
  REGEX_PARAM(std::string, name);
  ScenarioScope<ChatContext> chat;
  chat->user(name).client().send_binary(std::string("\x00\x01\xfe\xff", 4));
}

WHEN("^user \"([^\"]*)\" disconnects$") {
  REGEX_PARAM(std::string, name);
  ScenarioScope<ChatContext> chat;
  chat->user(name).disconnect();
  chat->users.erase(name);
}

WHEN("^user \"([^\"]*)\" drops the connection$") {
  REGEX_PARAM(std::string, name);
  ScenarioScope<ChatContext> chat;
  chat->user(name).client().drop();  // TCP closed, no close frame
  chat->users.erase(name);
}

THEN("^user \"([^\"]*)\" should receive message from \"([^\"]*)\" saying \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, receiver);
  REGEX_PARAM(std::string, sender);
  REGEX_PARAM(std::string, text);
  ScenarioScope<ChatContext> chat;
  expect_event(chat->user(receiver), {"message", sender, text});
}

THEN("^user \"([^\"]*)\" should receive \"([^\"]*)\" notification for \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, receiver);
  REGEX_PARAM(std::string, type);
  REGEX_PARAM(std::string, user);
  ScenarioScope<ChatContext> chat;
  expect_event(chat->user(receiver), {type, user, std::nullopt});
}

// Stricter than "should receive": only join and leave notices may come first, so anything
// else the server sent (say, a binary frame relayed as a message) fails the step.
THEN(
    "^the next message user \"([^\"]*)\" receives should be from \"([^\"]*)\" saying "
    "\"([^\"]*)\"$") {
  REGEX_PARAM(std::string, receiver);
  REGEX_PARAM(std::string, sender);
  REGEX_PARAM(std::string, text);
  ScenarioScope<ChatContext> chat;
  auto& user = chat->user(receiver);
  const ExpectedEvent expected{"message", sender, text};
  auto search =
      user.receive_until([](const ChatEvent& e) { return e.type != "joined" && e.type != "left"; });
  REQUIRE_MESSAGE(search.match.has_value(), describe_miss(user, expected.describe(), search));
  CHECK_MESSAGE(expected.matches(*search.match),
                "user \"" << receiver << "\" expected " << expected.describe() << " next; received "
                          << search.match->frame);
}

THEN("^every user should receive message from \"([^\"]*)\" saying \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, sender);
  REGEX_PARAM(std::string, text);
  ScenarioScope<ChatContext> chat;
  REQUIRE_MESSAGE(!chat->users.empty(), "no user is connected in this scenario");
  const ExpectedEvent expected{"message", sender, text};
  std::vector<std::string> misses;
  // One wait for them all, so a failing step still answers within cucumber's timeout; once
  // it has passed, each remaining user gets a short look at what has already arrived.
  const auto deadline = std::chrono::steady_clock::now() + event_patience;
  for (auto& [name, user] : chat->users) {
    const auto patience = std::max(
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()),
        std::chrono::milliseconds(250));
    auto search =
        user->receive_until([&](const ChatEvent& e) { return expected.matches(e); }, patience);
    if (!search.match) {
      misses.push_back(describe_miss(*user, expected.describe(), search));
    }
  }
  std::string report;
  for (const auto& miss : misses) {
    report += "\n- " + miss;
  }
  REQUIRE_MESSAGE(misses.empty(), misses.size() << " of " << chat->users.size()
                                                << " users did not receive it:" << report);
}

// Every scenario leaves the chat empty, so the next one (on the same program) sees none of
// its events.
AFTER() {
  ScenarioScope<ChatContext> chat;
  chat->leave_and_settle();
}

AFTER_ALL() {
  stop_shared_chat_servers();
}

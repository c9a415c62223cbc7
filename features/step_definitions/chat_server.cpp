#include "chat_server.hpp"

#include <map>
#include <stdexcept>
#include <vector>

#include "chat_url.hpp"

namespace feature_steps {

namespace {

// A name no scenario uses, so the witness's own join is told apart from the users'.
const std::string witness_name = "(feature steps' witness)";

std::vector<std::string> program_flags(const std::optional<std::string>& token) {
  if (!token) {
    return {};
  }
  return {"--token", *token};
}

std::map<std::optional<std::string>, std::shared_ptr<ChatServer>>& shared_servers() {
  static std::map<std::optional<std::string>, std::shared_ptr<ChatServer>> servers;
  return servers;
}

}  // namespace

ChatServer::ChatServer(const std::string& program, std::optional<std::string> token)
    : program_(program, program_flags(token)), token_(std::move(token)) {
  witness_ = std::make_unique<ChatUser>(witness_name, port(), target_for(witness_name));
  // Nothing else is connected yet, so the witness's own join is its first event.
  const ExpectedEvent joined{"joined", witness_name, std::nullopt};
  auto search = witness_->receive_until([&](const ChatEvent& e) { return joined.matches(e); });
  if (!search.match) {
    throw std::runtime_error(describe_miss(*witness_, joined.describe(), search));
  }
}

std::string ChatServer::target_for(const std::string& user) const {
  return chat_target(user, token_);
}

void ChatServer::await_empty(int joins, std::chrono::milliseconds patience) {
  int joined = 0;
  auto settled = [&] { return joined >= joins && present_.empty(); };
  if (settled()) {
    return;
  }
  auto search = witness_->receive_until(
      [&](const ChatEvent& event) {
        if (event.type == "joined") {
          ++joined;
          present_.insert(event.user);
        } else if (event.type == "left" && present_.contains(event.user)) {
          present_.erase(present_.find(event.user));
        }
        return settled();
      },
      patience);
  if (!search.match) {
    broken_ = true;
    std::string still_there;
    for (const auto& user : present_) {
      still_there += " \"" + user + "\"";
    }
    throw std::runtime_error("the chat did not empty after the scenario (" +
                             std::to_string(joined) + " of " + std::to_string(joins) +
                             " joins seen; still there:" + still_there + "); " +
                             describe_miss(*witness_, "everyone to leave", search));
  }
}

bool ChatServer::running() {
  const bool up = program_.running();
  broken_ = broken_ || !up;
  return up;
}

std::shared_ptr<ChatServer> shared_chat_server(const std::optional<std::string>& token) {
  auto& server = shared_servers()[token];
  if (!server || server->broken()) {
    server.reset();
    server = std::make_shared<ChatServer>(DREAM_CHAT_PROGRAM, token);
  }
  return server;
}

void stop_shared_chat_servers() {
  shared_servers().clear();
}

}  // namespace feature_steps

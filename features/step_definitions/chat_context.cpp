#include "chat_context.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace feature_steps {

ChatServer& ChatContext::current_server() const {
  if (server == nullptr) {
    throw std::logic_error(
        "no chat server in this scenario: start with \"Given the server is running on port "
        "8080\"");
  }
  return *server;
}

std::unique_ptr<ChatUser> ChatContext::connect(const std::string& name, const std::string& target,
                                               const ChatUser::Headers& headers) {
  auto connection = std::make_unique<ChatUser>(name, current_server().port(), target, headers);
  ++joins[server];
  return connection;
}

ChatUser& ChatContext::user(const std::string& name) const {
  const auto found = users.find(name);
  if (found == users.end()) {
    throw std::invalid_argument("no user \"" + name + "\" is connected in this scenario");
  }
  return *found->second;
}

void ChatContext::leave_and_settle() {
  // One bound for all the closes, so the hook answers within cucumber's timeout. A connection
  // that does not close in time is cut, which the chat sees as leaving too.
  const auto deadline = std::chrono::steady_clock::now() + event_patience;
  auto remaining = [&] {
    return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()),
                    std::chrono::milliseconds(1));
  };
  if (me) {
    me->disconnect(remaining());
  }
  for (auto& [name, connection] : users) {
    connection->disconnect(remaining());
  }
  me.reset();
  users.clear();
  // Every server is settled even when one fails, so no other lets events through.
  std::string failures;
  for (auto& [chat, opened] : joins) {
    try {
      chat->await_empty(opened);
    } catch (const std::exception& e) {
      failures += (failures.empty() ? "" : "\n") + std::string(e.what());
    }
  }
  joins.clear();
  if (!failures.empty()) {
    throw std::runtime_error(failures);
  }
}

}  // namespace feature_steps

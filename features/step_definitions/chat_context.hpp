#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "chat_server.hpp"
#include "chat_user.hpp"

namespace feature_steps {

/// One scenario's part of the chat: the server it talks to, its users' connections, and
/// what its upgrade attempts gave. One per scenario (a cucumber::ScenarioScope).
struct ChatContext {
  std::shared_ptr<ChatServer> server;
  std::map<std::string, std::unique_ptr<ChatUser>> users;  // the "user …" steps', by name
  std::unique_ptr<ChatUser> me;                            // the "I …" steps' connection
  std::optional<unsigned> attempt_status;            // the last "I try to upgrade"'s HTTP status
  std::map<std::shared_ptr<ChatServer>, int> joins;  // connections opened on each server

  /// The scenario's server; throws std::logic_error when no step has started one.
  ChatServer& current_server() const;
  /// Connects as `name` at `target` on the current server and counts the join; throws
  /// std::runtime_error when the upgrade is refused.
  std::unique_ptr<ChatUser> connect(const std::string& name, const std::string& target,
                                    const ChatUser::Headers& headers = {});
  /// The connected user `name`; throws std::invalid_argument when there is none.
  ChatUser& user(const std::string& name) const;

  /// Closes every connection of the scenario and waits until each server has seen them all
  /// join and leave, so no event of this scenario reaches the next; throws when one has not.
  void leave_and_settle();
};

}  // namespace feature_steps

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "chat_program.hpp"
#include "chat_user.hpp"

namespace feature_steps {

/// The websocket_chat program, run for real and shared by the scenarios of a run, with a
/// witness: a connection of its own that sees every join and leave, so the end of a scenario
/// can wait until the chat is empty again and no event of it reaches the next scenario.
class ChatServer {
 public:
  /// Starts `program` with `--port 0` (and `--token` when given) and connects the witness;
  /// throws std::runtime_error when either fails.
  ChatServer(const std::string& program, std::optional<std::string> token);

  std::uint16_t port() const noexcept { return program_.port(); }
  const std::optional<std::string>& token() const noexcept { return token_; }
  /// The WebSocket target for `user`, with the token when this server wants one.
  std::string target_for(const std::string& user) const;

  /// Waits until the witness has seen `joins` more joins since the last wait and every user
  /// but itself gone again. Throws std::runtime_error naming who is still there (and marks
  /// the server broken) when that takes longer than `patience`.
  void await_empty(int joins, std::chrono::milliseconds patience = event_patience);
  /// True once a wait has failed or the program has exited: do not reuse the server.
  bool broken() const noexcept { return broken_; }
  /// True while the program runs; false (and broken) once it has exited.
  bool running();
  /// Everything the program has written to stdout (its log), for failure messages.
  std::string output() const { return program_.output(); }

 private:
  test_support::ChatProgram program_;
  std::optional<std::string> token_;
  std::unique_ptr<ChatUser> witness_;
  std::multiset<std::string> present_;  // seen joining and not yet leaving
  bool broken_ = false;
};

/// The run's server for `token` (none: the open chat), started on first use and reused by
/// later scenarios; a broken one is replaced by a fresh program (holders keep the old one).
std::shared_ptr<ChatServer> shared_chat_server(const std::optional<std::string>& token);

/// Stops every shared server (at the end of the run).
void stop_shared_chat_servers();

}  // namespace feature_steps

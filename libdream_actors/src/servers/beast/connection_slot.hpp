#pragma once

#include <utility>

#include "counters.hpp"

namespace dream::servers::beast::detail {

/// One open connection's place in the server's count (what max_connections bounds). It moves
/// with the socket, from the HTTP session to the WebSocket or SSE session it becomes, and
/// frees the place when its last owner ends. An empty slot (a refused connection) counts
/// nothing. The counters outlive it: every session holds the SharedState that holds them.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  explicit ConnectionSlot(Counters& counters) : counters_(&counters) {
    Counters::add(counters.connections_open);
  }
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : counters_(std::exchange(other.counters_, nullptr)) {}
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept {
    if (this != &other) {
      release();
      counters_ = std::exchange(other.counters_, nullptr);
    }
    return *this;
  }
  ~ConnectionSlot() { release(); }

 private:
  void release() noexcept {
    if (counters_ != nullptr) {
      Counters::sub(counters_->connections_open);
      counters_ = nullptr;
    }
  }

  Counters* counters_ = nullptr;
};

}  // namespace dream::servers::beast::detail

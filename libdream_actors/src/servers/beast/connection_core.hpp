#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "dream/process.hpp"
#include "dream/servers/beast/server_config.hpp"
#include "dream/servers/beast/websocket.hpp"
#include "prepared_frame.hpp"
#include "shared_state.hpp"

namespace dream::servers::beast::detail {
class WebSocketSession;
}

namespace dream::servers::beast::websocket::detail {

/// A frame or the end, as the session hands it to the connection's process.
struct Frame {
  bool text;
  std::string data;              // a text frame's payload
  std::vector<std::byte> bytes;  // a binary frame's, already in BinaryMessage's type
};
/// A frame a process has sent, waiting for the session to take it: its own payload, or a
/// frame prepared once and shared (then `data` is empty).
struct Outgoing {
  bool text;
  std::string data;
  std::shared_ptr<const PreparedFrame> prepared;

  std::size_t payload_size() const noexcept {
    return prepared ? prepared->payload_size : data.size();
  }
};
struct Closed {
  std::uint16_t code;
  std::string reason;
};

/// What the socket side (a WebSocketSession, on its strand) and the process side (on a
/// scheduler thread) share: the tags the session sends with, the outbound byte count, and
/// whether the connection has closed. Every member function is safe from any thread.
class ConnectionCore {
 public:
  /// `state`: the server's, shared, as the process (and a Connection the user copied) may
  /// outlive the server.
  ConnectionCore(std::weak_ptr<beast::detail::WebSocketSession> session,
                 std::shared_ptr<beast::detail::SharedState> state)
      : session_(std::move(session)),
        state_(std::move(state)),
        max_queue_bytes_(state_->config().max_websocket_queue_bytes),
        slow_consumer_(state_->config().websocket_slow_consumer) {}

  const std::uint64_t frame_tag = process::detail::next_tag();
  const std::uint64_t closed_tag = process::detail::next_tag();

  /// Process side: queue a frame (never waits).
  std::error_code send(bool text, std::string payload);
  /// Process side: queue a prepared frame, shared with other connections (never waits).
  std::error_code send(std::shared_ptr<const PreparedFrame> frame);
  /// Process side: one frame of `bytes` payload bytes handled, the session may read more.
  void frame_done(std::size_t bytes);
  /// Process side: close with `code` once what is queued has been written.
  void close(std::uint16_t code);
  /// Process side: a handler threw (counted in the server's metrics).
  void handler_threw() noexcept {
    beast::detail::Counters::add(state_->counters().handler_exceptions_total);
  }

  /// Session side: moves every frame sent since the last call into `into` (which it clears
  /// first); the next send posts a new drain.
  void take_outbox(std::vector<Outgoing>& into) {
    into.clear();
    std::lock_guard lock(outbox_mutex_);
    into.swap(outbox_);
    drain_posted_ = false;
  }

  /// Either side: marks the connection closed and gives up every frame in the outbox, counted
  /// as gone (nothing will write them: a slow consumer's close, a session already gone).
  void drop_outbox();

  /// Session side: `frames` frames carrying `bytes` in all have left the queue.
  void sent(std::size_t bytes, std::size_t frames) noexcept {
    queued_.fetch_sub(bytes + frames * frame_overhead, std::memory_order_relaxed);
  }

  /// What a queued frame costs beyond its payload (its queue entry and posted handler), so
  /// that a flood of empty frames meets the bound too.
  static constexpr std::size_t frame_overhead = 64;
  /// Session side: from now on sends fail with socket_closed; every send that succeeded
  /// before is in the outbox (take_outbox finds it).
  void mark_closed() noexcept {
    std::lock_guard lock(outbox_mutex_);
    closed_.store(true, std::memory_order_release);
  }

 private:
  std::error_code enqueue(Outgoing frame);
  // The queue is full: applies the slow-consumer policy (once) and says backpressure.
  std::error_code overflow();
  // Runs `act` on the session if it is still there (see SharedState::reach_io); false if not.
  template <class Act>
  bool reach_session(Act act) {
    bool reached = false;
    state_->reach_io([&] {
      if (auto session = session_.lock()) {
        act(*session);
        reached = true;
      }
    });
    return reached;
  }

  std::weak_ptr<beast::detail::WebSocketSession> session_;
  const std::shared_ptr<beast::detail::SharedState> state_;
  const std::size_t max_queue_bytes_;
  const SlowConsumerPolicy slow_consumer_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> closed_{false};
  // Frames a process sends wait here; only the first of a batch posts to the session's
  // strand, so a burst of sends costs one post and leaves in one write.
  std::mutex outbox_mutex_;
  std::vector<Outgoing> outbox_;
  bool drain_posted_ = false;
};

}  // namespace dream::servers::beast::websocket::detail

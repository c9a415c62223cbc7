#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>

#include "dream/process.hpp"
#include "dream/servers/beast/sse.hpp"
#include "shared_state.hpp"

namespace dream::servers::beast::detail {
class SseSession;
}

namespace dream::servers::beast::sse::detail {

/// What the socket side (an SseSession, on its strand) and the process side (on a scheduler
/// thread) share: the tag the end is sent with, the outbound byte count, and whether the
/// connection has ended. Every member function is safe from any thread.
class SseCore {
 public:
  /// `state`: the server's, shared, as the process may outlive the server.
  SseCore(std::weak_ptr<beast::detail::SseSession> session,
          std::shared_ptr<beast::detail::SharedState> state)
      : session_(std::move(session)),
        state_(std::move(state)),
        max_queue_bytes_(state_->config().max_sse_queue_bytes) {}

  const std::uint64_t end_tag = process::detail::next_tag();

  /// Process side: queue serialised event bytes (never waits).
  std::error_code send(std::string bytes);
  /// Process side: end the connection once what is queued has been written.
  void close();

  /// Session side: `bytes` queued by send() have left the queue.
  void sent(std::size_t bytes) noexcept {
    queued_.fetch_sub(bytes + overhead, std::memory_order_relaxed);
  }
  /// Session side: from now on sends fail with socket_closed; every send that succeeded
  /// before has posted its bytes to the session's strand (they share a lock).
  void mark_closed() noexcept {
    std::lock_guard lock(send_mutex_);
    closed_.store(true, std::memory_order_release);
  }

  /// What a queued event costs beyond its bytes (its queue entry and posted handler), so that
  /// a flood of tiny events meets the bound too.
  static constexpr std::size_t overhead = 64;

 private:
  std::weak_ptr<beast::detail::SseSession> session_;
  const std::shared_ptr<beast::detail::SharedState> state_;  // its reach_io guards session_
  const std::size_t max_queue_bytes_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> closed_{false};
  std::mutex send_mutex_;  // a send's check and post, against mark_closed
};

}  // namespace dream::servers::beast::sse::detail

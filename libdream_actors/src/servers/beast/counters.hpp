#pragma once

#include <atomic>
#include <cstdint>

#include "dream/servers/beast/metrics.hpp"

namespace dream::servers::beast::detail {

/// The live counters behind ServerMetrics, bumped from I/O threads and processes alike.
/// Relaxed atomics: each is a tally, nothing is ordered by it.
struct Counters {
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> websocket_connections_open{0};
  std::atomic<std::uint64_t> connections_accepted_total{0};
  std::atomic<std::uint64_t> connections_refused_total{0};
  std::atomic<std::uint64_t> websocket_frames_in_total{0};
  std::atomic<std::uint64_t> websocket_bytes_in_total{0};
  std::atomic<std::uint64_t> websocket_frames_out_total{0};
  std::atomic<std::uint64_t> websocket_bytes_out_total{0};
  std::atomic<std::uint64_t> slow_consumer_closes_total{0};
  std::atomic<std::uint64_t> handler_exceptions_total{0};

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
  static void sub(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
    counter.fetch_sub(n, std::memory_order_relaxed);
  }
  ServerMetrics snapshot() const noexcept;
};

}  // namespace dream::servers::beast::detail

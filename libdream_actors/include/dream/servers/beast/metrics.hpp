#pragma once

#include <cstdint>
#include <string>

namespace dream::servers::beast {

/// A server's counters at one moment (ServerHandle::metrics()): gauges say what is open now,
/// `_total` counters only grow from the server's start. Each field is read on its own, so
/// two fields of one snapshot may be a few events apart under load.
struct ServerMetrics {
  /// TCP connections open now: HTTP, WebSocket and SSE (the count max_connections bounds).
  std::uint64_t connections_open = 0;
  /// Of those, WebSocket connections past their handshake.
  std::uint64_t websocket_connections_open = 0;
  /// Connections accepted since the start, refused ones included.
  std::uint64_t connections_accepted_total = 0;
  /// Connections answered 503 because max_connections were open.
  std::uint64_t connections_refused_total = 0;
  /// WebSocket data frames read from clients and handed to their processes, and their
  /// payload bytes.
  std::uint64_t websocket_frames_in_total = 0;
  std::uint64_t websocket_bytes_in_total = 0;
  /// WebSocket data frames written to clients, and their payload bytes.
  std::uint64_t websocket_frames_out_total = 0;
  std::uint64_t websocket_bytes_out_total = 0;
  /// WebSocket connections closed by the slow-consumer policy (their queue hit its bound).
  std::uint64_t slow_consumer_closes_total = 0;
  /// Controllers and WebSocket handlers (on_init, on_message, on_close) that threw.
  std::uint64_t handler_exceptions_total = 0;
};

/// The metrics in Prometheus' text exposition format (version 0.0.4), every name prefixed
/// `dream_`, with HELP and TYPE lines; what ServerConfig::metrics_route serves.
std::string prometheus_text(const ServerMetrics& metrics);

}  // namespace dream::servers::beast

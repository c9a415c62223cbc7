#include <string>

#include <fmt/core.h>

#include "counters.hpp"

namespace dream::servers::beast {
namespace {

void append(std::string& out, const char* name, const char* type, const char* help,
            std::uint64_t value) {
  out += fmt::format("# HELP dream_{} {}\n# TYPE dream_{} {}\ndream_{} {}\n", name, help, name,
                     type, name, value);
}

}  // namespace

std::string prometheus_text(const ServerMetrics& m) {
  std::string out;
  append(out, "connections_open", "gauge", "TCP connections open now (HTTP, WebSocket, SSE).",
         m.connections_open);
  append(out, "websocket_connections_open", "gauge", "WebSocket connections open now.",
         m.websocket_connections_open);
  append(out, "connections_accepted_total", "counter", "Connections accepted.",
         m.connections_accepted_total);
  append(out, "connections_refused_total", "counter",
         "Connections answered 503 at the connection limit.", m.connections_refused_total);
  append(out, "websocket_frames_in_total", "counter", "WebSocket data frames read from clients.",
         m.websocket_frames_in_total);
  append(out, "websocket_bytes_in_total", "counter",
         "Payload bytes of WebSocket data frames read from clients.", m.websocket_bytes_in_total);
  append(out, "websocket_frames_out_total", "counter", "WebSocket data frames written to clients.",
         m.websocket_frames_out_total);
  append(out, "websocket_bytes_out_total", "counter",
         "Payload bytes of WebSocket data frames written to clients.", m.websocket_bytes_out_total);
  append(out, "slow_consumer_closes_total", "counter",
         "WebSocket connections closed by the slow-consumer policy.", m.slow_consumer_closes_total);
  append(out, "handler_exceptions_total", "counter",
         "Controllers and WebSocket handlers that threw.", m.handler_exceptions_total);
  return out;
}

}  // namespace dream::servers::beast

namespace dream::servers::beast::detail {

ServerMetrics Counters::snapshot() const noexcept {
  const auto get = [](const std::atomic<std::uint64_t>& c) {
    return c.load(std::memory_order_relaxed);
  };
  return ServerMetrics{get(connections_open),           get(websocket_connections_open),
                       get(connections_accepted_total), get(connections_refused_total),
                       get(websocket_frames_in_total),  get(websocket_bytes_in_total),
                       get(websocket_frames_out_total), get(websocket_bytes_out_total),
                       get(slow_consumer_closes_total), get(handler_exceptions_total)};
}

}  // namespace dream::servers::beast::detail

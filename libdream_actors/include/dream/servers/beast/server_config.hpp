#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace dream::servers::beast {

/// What happens to a WebSocket connection whose outbound queue is full (a client that does not
/// read as fast as the server sends: a slow network, or a client that stopped reading).
enum class SlowConsumerPolicy {
  /// Close with 1008 (policy violation) and a reason: the queue is freed at once, and the
  /// client knows it missed messages and can reconnect. The default.
  close_policy_violation,
  /// Close with 1013 (try again later): the same, for clients that treat 1013 as "retry".
  close_try_again_later,
  /// Keep the connection: the frame that did not fit is dropped, and the send that hit the
  /// bound fails with SendError::backpressure, for the sender to decide.
  drop_message,
};

/// The server's limits and threads; every default is safe for a server on the internet.
struct ServerConfig {
  /// Address to listen on. Loopback by default, so nothing is exposed by accident; "0.0.0.0"
  /// (or "::") serves other machines.
  std::string host = "127.0.0.1";
  /// Threads running the sockets (an io_context pool).
  std::size_t io_threads = 1;
  /// Threads running the processes when the server makes its own Runtime (none was lent with
  /// Server::runtime); 0: one per hardware thread.
  std::size_t actor_threads = 0;
  /// Connections open at once (HTTP, WebSocket and SSE); one more is answered 503 and closed,
  /// with a log line. Keep it below the process's file limit (ulimit -n).
  std::size_t max_connections = 10000;
  /// Largest request head (request line and headers); beyond it: 431.
  std::size_t max_header_bytes = 16 * 1024;
  /// Largest request body; beyond it: 413.
  std::size_t max_body_bytes = 1024 * 1024;
  /// Largest request body on a Router::stream_route (read in chunks, never held whole);
  /// beyond it: 413.
  std::size_t max_streamed_body_bytes = 1024 * 1024 * 1024;
  /// How long a client may take to send one request (on a stream route: each chunk) (and how long a
  /// keep-alive connection may stay idle); then the connection is closed.
  std::chrono::seconds request_timeout{30};

  /// Largest WebSocket message from a client; beyond it the connection closes with 1009.
  std::size_t max_websocket_message_bytes = 1024 * 1024;
  /// Frames read from a connection but not yet handled by its process: reading pauses at this
  /// many, so a fast client cannot grow the server's memory.
  std::size_t websocket_read_window = 32;
  /// Payload bytes of those frames: reading also pauses once this many wait, so the window
  /// costs at most this much memory plus the frame that crossed it (a whole message at most).
  std::size_t websocket_read_window_bytes = 1024 * 1024;
  /// Bytes a connection may have queued for sending; beyond it send_text/send_binary/
  /// send_prepared fail with SendError::backpressure, the frame is not queued, and
  /// websocket_slow_consumer says what becomes of the connection.
  std::size_t max_websocket_queue_bytes = 4 * 1024 * 1024;
  /// What happens when a connection's outbound queue is full (see SlowConsumerPolicy).
  SlowConsumerPolicy websocket_slow_consumer = SlowConsumerPolicy::close_policy_violation;
  /// A connection that has sent nothing for this long is closed; after half of it the server
  /// pings, and a live client's pong counts as traffic. Zero: no idle timeout and no pings.
  std::chrono::seconds websocket_idle_timeout{60};
  /// Origins, besides the server's own, whose pages may open a WebSocket here, such as
  /// "https://app.example.com" (scheme, host, port compared); "*" admits any; start() throws
  /// std::invalid_argument for an entry that is not an origin. A browser's upgrade from any
  /// other origin gets 403 before any controller runs (cross-site WebSocket hijacking); a
  /// client that sends no Origin header (not a browser) is not checked.
  std::vector<std::string> websocket_allowed_origins;
  /// How long the opening and the closing handshakes may take.
  std::chrono::seconds websocket_handshake_timeout{5};

  /// How often an idle SSE connection gets a comment (`: keep-alive`), so proxies and clients
  /// do not take it for dead; zero sends none.
  std::chrono::milliseconds sse_heartbeat_interval{15000};
  /// Bytes an SSE connection may have queued for sending; beyond it send_event fails with
  /// sse::SendError::backpressure and the event is dropped (the connection stays open).
  std::size_t max_sse_queue_bytes = 4 * 1024 * 1024;

  /// How long stop() waits for connections to finish: WebSockets to flush their queues,
  /// close with 1001 and run on_close, HTTP responses in flight to be written. What is left
  /// after it is cut.
  std::chrono::seconds shutdown_timeout{10};
  /// A path (such as "/healthz") answered 200 "ok" by the server itself, before the router
  /// and its middleware, for load balancers and orchestrators; empty: none.
  std::string health_route;
  /// A path (such as "/metrics") answered with prometheus_text(metrics()), before the router;
  /// empty: none. The counters say how busy the server is: expose them only where they may be
  /// seen (the server's host defaults to loopback).
  std::string metrics_route;
  /// TLS (https, wss): a PEM certificate chain file (the server's certificate first) and its
  /// PEM private key file; both empty (the default) serve plain HTTP. TLS 1.2 and later, one
  /// certificate, read once at start(). start() throws std::invalid_argument when only one is
  /// given, a file cannot be read or used, or the key does not match the certificate. A
  /// client must complete its TLS handshake within request_timeout.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
};

}  // namespace dream::servers::beast

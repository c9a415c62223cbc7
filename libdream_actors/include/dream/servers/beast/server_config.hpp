#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace dream::servers::beast {

/// The server's limits and threads; every default is safe for a server on the internet.
struct ServerConfig {
  /// Address to listen on. Loopback by default, so nothing is exposed by accident; "0.0.0.0"
  /// (or "::") serves other machines.
  std::string host = "127.0.0.1";
  /// Threads running the sockets (an io_context pool).
  std::size_t io_threads = 1;
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
  /// send_prepared fail with SendError::backpressure and the frame is not queued (the
  /// connection stays open).
  std::size_t max_websocket_queue_bytes = 4 * 1024 * 1024;
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

  /// TLS (https, wss): a PEM certificate chain file (the server's certificate first) and its
  /// PEM private key file; both empty (the default) serve plain HTTP. TLS 1.2 and later, one
  /// certificate, read once at start(). start() throws std::invalid_argument when only one is
  /// given, a file cannot be read or used, or the key does not match the certificate. A
  /// client must complete its TLS handshake within request_timeout.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
};

}  // namespace dream::servers::beast

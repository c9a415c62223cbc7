#pragma once

namespace dream::servers::beast::detail {

/// A connection the server keeps track of, HTTP or WebSocket, so stop() can close it.
class Session {
 public:
  virtual ~Session() = default;
  /// Closes the connection from any thread (a WebSocket says 1001, going away).
  virtual void close() = 0;
  /// After the I/O threads have stopped for good: lets go of whatever the session holds that
  /// holds the session (a queued operation's handler), so destroying the io_context frees it.
  virtual void abandon() {}
};

}  // namespace dream::servers::beast::detail

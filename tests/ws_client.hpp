#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

/// A real WebSocket client (Boost.Beast) on 127.0.0.1:port. Every wait is bounded.
class WsClient {
 public:
  /// Connects and upgrades; throws std::runtime_error naming the HTTP status on refusal.
  WsClient(std::uint16_t port, const std::string& target,
           const std::vector<std::pair<std::string, std::string>>& headers = {});
  ~WsClient();

  /// A header of the server's 101 response, or "".
  std::string handshake_header(const std::string& name) const;
  /// The HTTP status of an upgrade attempt (101 when accepted, 401 when refused...), sent
  /// with `headers` besides the handshake's own.
  static unsigned handshake_status(
      std::uint16_t port, const std::string& target,
      const std::vector<std::pair<std::string, std::string>>& headers = {});

  void send_text(const std::string& text);
  /// Sends a text frame if the write completes within `timeout`; false when it stalls (the
  /// server has stopped reading). The connection is unusable after a stall.
  bool try_send_text(const std::string& text, std::chrono::milliseconds timeout);
  void send_binary(const std::string& bytes);

  struct Frame {
    bool text;
    std::string data;
  };
  /// The next frame, or nothing if the connection closed or nothing came in `timeout`.
  std::optional<Frame> receive(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// The next text frame's text, or "" (see receive).
  std::string receive_text(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// True once a receive has seen the server's close; close_code() then says why.
  bool closed() const noexcept { return closed_; }
  std::uint16_t close_code() const noexcept { return close_code_; }
  /// The reason in the server's close frame (after closed()), or "".
  std::string close_reason() const;
  /// Reads until the server closes (discarding frames); its close code, or 0 on timeout.
  std::uint16_t wait_for_close(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  /// Sends a close frame and completes the closing handshake (0: a close frame without code);
  /// if the server has not answered within `timeout`, drops the connection instead.
  void close(std::uint16_t code = 1000,
             std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Pongs seen so far (read while receiving), and how many data frames had been received
  /// when the first one came.
  std::size_t pongs() const noexcept;
  std::optional<std::size_t> first_pong_after() const noexcept;
  /// Drops the TCP connection without a close frame.
  void drop();
  /// Writes raw bytes on the socket, under the WebSocket layer (for protocol violations).
  void write_raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool closed_ = false;
  std::uint16_t close_code_ = 0;
  std::vector<std::pair<std::string, std::string>> handshake_headers_;
};

}  // namespace test_support

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http_client.hpp"

namespace test_support {

/// One HTTPS request on a new connection to 127.0.0.1:port (Beast over OpenSSL), trusting only
/// `certificate_file` and checking it names 127.0.0.1. Every wait is bounded; throws
/// std::runtime_error (with the reason: a refused certificate, a timeout) on failure. A
/// `body` goes with a Content-Length.
HttpReply https_request(std::uint16_t port, const std::string& certificate_file,
                        const std::string& method, const std::string& target,
                        const std::string& body = {});

/// Sends GET `target` over TLS (verifying the server as https_request does) and returns the
/// raw bytes received, head included, once they contain `needle`, such as an SSE event;
/// throws std::runtime_error if they do not within 20 s or the server ends the stream first.
std::string https_read_until(std::uint16_t port, const std::string& certificate_file,
                             const std::string& target, const std::string& needle);

/// A WebSocket client over TLS (wss) on 127.0.0.1:port, verifying the server as https_request
/// does. Every wait is bounded; failures throw std::runtime_error.
class WssClient {
 public:
  /// Connects, completes the TLS and WebSocket handshakes (with `headers` besides the
  /// handshake's own); throws naming the HTTP status or TLS error on refusal.
  WssClient(std::uint16_t port, const std::string& target, const std::string& certificate_file,
            const std::vector<std::pair<std::string, std::string>>& headers = {});
  ~WssClient();

  void send_text(const std::string& text);
  /// The next text frame's text, or nothing if the connection closed or nothing came in time.
  std::optional<std::string> receive_text(
      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// The closing handshake, TLS's close_notify included; false if it did not complete.
  bool close();
  /// The close code of the server's close frame, once a receive_text has seen it (else 0).
  std::uint16_t close_code() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace test_support

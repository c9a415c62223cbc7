#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

/// A real SSE client on one TCP connection to 127.0.0.1:port: sends a GET (or another
/// method) with `Accept: text/event-stream`, reads the response head, then reads the stream
/// one block (event or comment, up to its blank line) at a time. Every wait is bounded.
class SseClient {
 public:
  SseClient(std::uint16_t port, const std::string& target,
            const std::vector<std::pair<std::string, std::string>>& headers = {},
            const std::string& method = "GET");
  ~SseClient();

  unsigned status() const noexcept { return status_; }
  /// The first response header `name` (any case), or "" if absent.
  std::string header(const std::string& name) const;

  /// The next block as sent, blank line included ("id: 1\ndata: x\n\n"), or nothing if none
  /// arrives within `timeout` or the server closes the stream first.
  std::optional<std::string> next_block(std::chrono::milliseconds timeout);
  /// True if the server closes the connection within `timeout` (what it sends meanwhile is
  /// kept for next_block).
  bool closed_within(std::chrono::milliseconds timeout);
  /// Closes the connection abruptly, as a browser tab that goes away.
  void drop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned status_ = 0;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string pending_;  // bytes read past the last block returned
  bool eof_ = false;
};

}  // namespace test_support

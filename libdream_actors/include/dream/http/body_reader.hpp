#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace dream::http {

/// Why a streamed request body could not be read: `status()` is what the client gets (413 too
/// large, 400 malformed, 408 too slow or gone), whatever the controller then returns.
class BodyError : public std::runtime_error {
 public:
  BodyError(unsigned status, const std::string& reason)
      : std::runtime_error(reason), status_(status) {}
  unsigned status() const noexcept { return status_; }

 private:
  unsigned status_;
};

/// A request body read chunk by chunk (Dream's stream_route): the socket is read only when the
/// controller asks, so a fast client cannot run ahead of it (backpressure).
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  /// The next chunk (at most 64 KiB), or nothing once the body has ended. Blocks the
  /// connection's I/O thread until data comes; throws BodyError past the limits.
  virtual std::optional<std::string> next_chunk() = 0;
};

}  // namespace dream::http

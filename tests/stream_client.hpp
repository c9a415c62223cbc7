#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace test_support {

/// A bare HTTP/1.1 client on a POSIX socket, for streamed bodies: every read and write has a
/// timeout (a throw), and bodies are handed over as they arrive, never buffered whole.
class StreamClient {
 public:
  /// Connects to 127.0.0.1:port; a receive buffer of `rcvbuf` bytes if non-zero (set first,
  /// so a test can make the client's side of the connection small).
  explicit StreamClient(std::uint16_t port, int rcvbuf = 0);
  ~StreamClient();
  StreamClient(const StreamClient&) = delete;
  StreamClient& operator=(const StreamClient&) = delete;

  /// Writes all of `bytes`; throws after 10 s without progress.
  void send(std::string_view bytes);
  /// Reads the response head (status line and headers, up to the blank line), as text.
  std::string read_head();
  /// Reads a chunked body, giving each piece of chunk data to `on_data` as it arrives; false
  /// if the server closed the connection before the last chunk.
  bool read_chunked(const std::function<void(std::string_view)>& on_data);
  /// Reads exactly `n` body bytes (a Content-Length body).
  std::string read_exact(std::size_t n);
  /// True if the server closes the connection before sending anything more (10 s at most).
  bool closed_by_server();

 private:
  std::size_t fill();  // more bytes into buffer_; 0 at end of stream
  std::string line();  // one CRLF-terminated line, without the CRLF

  int fd_ = -1;
  std::string buffer_;
};

/// The value of header `name` in `head` (any case), or "".
std::string head_field(const std::string& head, std::string_view name);

}  // namespace test_support

#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

namespace test_support {

/// A masked client frame (RFC 6455 §5.2) as it is on the wire: `first` is the first byte (FIN,
/// RSV bits, opcode), then length, key and the masked payload. Any opcode and bits, valid or not.
std::string masked_frame(unsigned char first, std::string_view payload);
/// Only the head of a masked client frame that announces `length` payload bytes; its key is
/// zero, so the payload that may follow is any run of zero bytes, sent as they are.
std::string masked_frame_head(unsigned char first, std::uint64_t length);

/// A TCP connection to 127.0.0.1:port that writes bytes as they are and reads what comes back,
/// for what no well-behaved client sends: unfinished request heads, forged frame headers,
/// unknown opcodes. Every wait is bounded; nothing runs in the background.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  /// Sends a WebSocket upgrade request for `target` and reads the response head; true on 101.
  /// Frames that follow the head stay buffered for read_close_code.
  bool upgrade(const std::string& target,
               std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Writes all of `bytes`; false if the server ended the connection or stopped reading for
  /// `timeout` first.
  bool write(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Writes `chunk` again and again, `total` bytes in all, while keeping what the server sends;
  /// stops early when the server ends the connection or reading stalls for `timeout`. Returns
  /// the bytes written.
  std::size_t write_repeatedly(std::string_view chunk, std::size_t total,
                               std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// A frame from the server (unmasked): its opcode and payload.
  struct Frame {
    unsigned opcode = 0;
    std::string payload;
  };
  /// The next frame from the server, or nothing if the connection ended or `timeout` passed
  /// first (wait_for_end(0ms) tells which).
  std::optional<Frame> next_frame(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Reads frames until the server's close frame and returns its code (1005 for a close frame
  /// without one); 0 if the connection ended or `timeout` passed without a close frame.
  std::uint16_t read_close_code(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// True once the server has ended the connection (end of stream or reset) within
  /// `timeout`; anything it sends before that is kept.
  bool wait_for_end(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Everything received so far and not yet parsed as a frame.
  const std::string& received() const noexcept { return received_; }

 private:
  // Waits for `events` (poll flags) on the socket until `deadline`; the revents, 0 on timeout.
  short wait(short events, std::chrono::steady_clock::time_point deadline);
  // Reads what is there into received_ without waiting; false once the connection has ended.
  bool receive_some();
  // Waits until more bytes arrive; false when the connection ends or `deadline` passes first.
  bool receive_more(std::chrono::steady_clock::time_point deadline);

  boost::asio::ip::tcp::socket socket_;
  std::string received_;
  bool ended_ = false;
};

}  // namespace test_support

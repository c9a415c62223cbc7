#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace dream::servers::beast::detail {

/// The header of an unmasked (server) data frame with FIN set: at most 10 bytes.
struct FrameHeader {
  std::array<char, 10> bytes{};
  std::uint8_t size = 0;
};

/// RFC 6455 §5.2: FIN and the opcode (text or binary), then the payload length in 7, 7+16 or
/// 7+64 bits. Written by hand because Beast keeps its frame writer private (see development.md).
inline FrameHeader data_frame_header(bool text, std::uint64_t payload_size) noexcept {
  FrameHeader h;
  h.bytes[0] = static_cast<char>(0x80 | (text ? 0x1 : 0x2));
  if (payload_size < 126) {
    h.bytes[1] = static_cast<char>(payload_size);
    h.size = 2;
  } else if (payload_size < 65536) {
    h.bytes[1] = 126;
    h.bytes[2] = static_cast<char>(payload_size >> 8);
    h.bytes[3] = static_cast<char>(payload_size & 0xff);
    h.size = 4;
  } else {
    h.bytes[1] = 127;
    for (int i = 0; i < 8; ++i) {
      h.bytes[2 + i] = static_cast<char>((payload_size >> (56 - 8 * i)) & 0xff);
    }
    h.size = 10;
  }
  return h;
}

}  // namespace dream::servers::beast::detail

#pragma once

#include <cstddef>
#include <string>

namespace dream::servers::beast::websocket::detail {

/// A data frame built once (header and payload in one buffer) and shared, immutable, by every
/// connection that sends it: a broadcast to N connections frames its payload once, not N times.
struct PreparedFrame {
  bool text = true;
  std::size_t payload_size = 0;
  std::string wire;  // the frame exactly as it goes on the socket
};

}  // namespace dream::servers::beast::websocket::detail

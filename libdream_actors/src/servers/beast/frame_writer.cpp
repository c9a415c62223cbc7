#include "frame_writer.hpp"

namespace dream::servers::beast::detail {

namespace net = boost::asio;

void FrameWriter::queue_frame(bool text, std::string payload) {
  if (failed_) {
    if (flushed_) {
      flushed_(payload.size(), 1, failed_);
    }
    return;
  }
  Chunk chunk;
  chunk.data = true;
  // RFC 6455 §5.2: FIN and the opcode, then the length in 7, 7+16 or 7+64 bits.
  auto& h = chunk.header;
  h[0] = static_cast<char>(0x80 | (text ? 0x1 : 0x2));
  const std::uint64_t n = payload.size();
  if (n < 126) {
    h[1] = static_cast<char>(n);
    chunk.header_size = 2;
  } else if (n < 65536) {
    h[1] = 126;
    h[2] = static_cast<char>(n >> 8);
    h[3] = static_cast<char>(n & 0xff);
    chunk.header_size = 4;
  } else {
    h[1] = 127;
    for (int i = 0; i < 8; ++i) {
      h[2 + i] = static_cast<char>((n >> (56 - 8 * i)) & 0xff);
    }
    chunk.header_size = 10;
  }
  chunk.bytes = std::move(payload);
  queued_.push_back(std::move(chunk));
}

void FrameWriter::queue_beast_write(std::string bytes, BeastHandler handler) {
  if (failed_) {
    auto ec = failed_;
    net::post(stream_.get_executor(), [handler = std::move(handler), ec] { handler(ec, 0); });
    return;
  }
  beast_handler_ = std::move(handler);
  beast_bytes_ = bytes.size();
  Chunk chunk;
  chunk.bytes = std::move(bytes);
  queued_.push_back(std::move(chunk));
  if (writing_.empty()) {
    flush();
  }
}

void FrameWriter::flush() {
  writing_.swap(queued_);
  gather_.clear();
  gather_.reserve(writing_.size() * 2);
  for (const auto& chunk : writing_) {
    if (chunk.header_size > 0) {
      gather_.emplace_back(chunk.header.data(), chunk.header_size);
    }
    if (!chunk.bytes.empty()) {
      gather_.emplace_back(chunk.bytes.data(), chunk.bytes.size());
    }
    if (!chunk.data) {
      beast_in_flight_ = true;
    }
  }
  net::async_write(
      stream_, gather_,
      [this, owner = owner_.lock()](boost::system::error_code ec, std::size_t) { on_write(ec); });
}

void FrameWriter::on_write(boost::system::error_code ec) {
  std::size_t bytes = 0;
  std::size_t frames = 0;
  for (const auto& chunk : writing_) {
    if (chunk.data) {
      bytes += chunk.bytes.size();
      ++frames;
    }
  }
  writing_.clear();
  if (ec) {
    failed_ = ec;
    // What was queued behind the failed write will never leave either.
    for (const auto& chunk : queued_) {
      if (chunk.data) {
        bytes += chunk.bytes.size();
        ++frames;
      } else {
        beast_in_flight_ = true;
      }
    }
    queued_.clear();
  }
  if (beast_in_flight_) {
    beast_in_flight_ = false;
    auto handler = std::move(beast_handler_);
    beast_handler_ = nullptr;
    handler(ec, ec ? 0 : beast_bytes_);
  }
  if (!failed_ && writing_.empty() && !queued_.empty()) {
    flush();  // what was queued during this write (Beast's handler may have started one)
  }
  if (flushed_ && (frames > 0 || ec)) {
    flushed_(bytes, frames, ec);
  }
}

void teardown(boost::beast::role_type role, FrameWriter& writer, boost::system::error_code& ec) {
  boost::beast::websocket::teardown(role, writer.next_layer().socket(), ec);
}

}  // namespace dream::servers::beast::detail

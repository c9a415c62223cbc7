#include "frame_writer.hpp"

#include <boost/assert.hpp>

#include "frame_header.hpp"

namespace dream::servers::beast::detail {

namespace net = boost::asio;

bool FrameWriter::accepts_data(std::size_t payload_size) {
  if (failed_ || close_queued_) {
    // Nothing may follow a close frame (RFC 6455 §5.5.1): dropped, and counted as gone.
    if (flushed_) {
      flushed_(payload_size, 1, failed_);
    }
    return false;
  }
  return true;
}

void FrameWriter::queue_frame(bool text, std::string payload) {
  if (!accepts_data(payload.size())) {
    return;
  }
  Chunk chunk;
  chunk.data = true;
  const auto header = data_frame_header(text, payload.size());
  chunk.header = header.bytes;
  chunk.header_size = header.size;
  chunk.bytes = std::move(payload);
  queued_.push_back(std::move(chunk));
}

void FrameWriter::queue_frame(std::shared_ptr<const websocket::detail::PreparedFrame> frame) {
  if (!accepts_data(frame->payload_size)) {
    return;
  }
  Chunk chunk;
  chunk.data = true;
  chunk.prepared = std::move(frame);
  queued_.push_back(std::move(chunk));
}

void FrameWriter::queue_beast_write(std::string bytes, BeastHandler handler) {
  if (failed_) {
    auto ec = failed_;
    net::post(stream_.get_executor(), [handler = std::move(handler), ec] { handler(ec, 0); });
    return;
  }
  BOOST_ASSERT(!beast_handler_);  // Beast serialises its writes: one at a time
  beast_handler_ = std::move(handler);
  beast_bytes_ = bytes.size();
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x88) {
    close_queued_ = true;  // Beast's close frame (its own close, or its reply to the peer's)
  }
  Chunk chunk;
  chunk.bytes = std::move(bytes);
  queued_.push_back(std::move(chunk));
  if (writing_.empty()) {
    flush();
  }
}

void FrameWriter::drop_queued() {
  std::size_t bytes = 0;
  std::size_t frames = 0;
  std::erase_if(queued_, [&](const Chunk& chunk) {
    if (chunk.data) {
      bytes += chunk.payload_size();
      ++frames;
    }
    return chunk.data;
  });
  if (flushed_ && frames > 0) {
    flushed_(bytes, frames, {});
  }
}

void FrameWriter::flush() {
  writing_.swap(queued_);
  gather_.clear();
  packed_.clear();
  // Small chunks are copied into one buffer (a copy costs far less than a system call, and
  // asio gathers at most 64 buffers per call); large payloads are written where they lie.
  // First pass: sizes, so packed_ never reallocates under the buffers pointing into it.
  constexpr std::size_t small = 1024;
  std::size_t packed_size = 0;
  for (const auto& chunk : writing_) {
    packed_size += chunk.header_size + (chunk.body().size() <= small ? chunk.body().size() : 0);
  }
  packed_.reserve(packed_size);
  std::size_t run_start = 0;
  auto end_run = [&] {
    if (packed_.size() > run_start) {
      gather_.emplace_back(packed_.data() + run_start, packed_.size() - run_start);
    }
    run_start = packed_.size();
  };
  for (const auto& chunk : writing_) {
    packed_.append(chunk.header.data(), chunk.header_size);
    const auto body = chunk.body();
    if (body.size() <= small) {
      packed_.append(body);
    } else {
      end_run();
      gather_.emplace_back(body.data(), body.size());
    }
    if (!chunk.data) {
      beast_in_flight_ = true;
    }
  }
  end_run();
  BOOST_ASSERT(!owner_.expired());
  net::async_write(
      stream_, gather_,
      [this, owner = owner_.lock()](boost::system::error_code ec, std::size_t) { on_write(ec); });
}

void FrameWriter::on_write(boost::system::error_code ec) {
  std::size_t bytes = 0;
  std::size_t frames = 0;
  for (const auto& chunk : writing_) {
    if (chunk.data) {
      bytes += chunk.payload_size();
      ++frames;
    }
  }
  writing_.clear();
  if (!ec && counters_ != nullptr && frames > 0) {
    Counters::add(counters_->websocket_frames_out_total, frames);
    Counters::add(counters_->websocket_bytes_out_total, bytes);
  }
  if (ec) {
    failed_ = ec;
    // What was queued behind the failed write will never leave either.
    for (const auto& chunk : queued_) {
      if (chunk.data) {
        bytes += chunk.payload_size();
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
  detail::teardown(role, writer.next_layer(), ec);
}

}  // namespace dream::servers::beast::detail

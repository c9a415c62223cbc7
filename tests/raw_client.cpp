#include "raw_client.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>

#include <boost/asio/io_context.hpp>

namespace test_support {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr unsigned char mask_key[4] = {0x5a, 0x13, 0xc7, 0x2e};

// The sockets only need an io_context to exist: every wait here is poll()'s, so one context,
// never run, serves them all (one each would cost three descriptors per connection).
net::io_context& idle_context() {
  static net::io_context context;
  return context;
}

// What follows a frame's first byte up to its key: the MASK bit and the length, shortest form.
std::string masked_length(std::uint64_t length) {
  std::string head;
  if (length < 126) {
    head.push_back(static_cast<char>(0x80 | length));
  } else if (length < 65536) {
    head.push_back(static_cast<char>(0x80 | 126));
    head.push_back(static_cast<char>(length >> 8));
    head.push_back(static_cast<char>(length & 0xff));
  } else {
    head.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      head.push_back(static_cast<char>((length >> shift) & 0xff));
    }
  }
  return head;
}

}  // namespace

std::string masked_frame(unsigned char first, std::string_view payload) {
  std::string frame(1, static_cast<char>(first));
  frame += masked_length(payload.size());
  frame.append(reinterpret_cast<const char*>(mask_key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(static_cast<char>(payload[i] ^ static_cast<char>(mask_key[i % 4])));
  }
  return frame;
}

std::string masked_frame_head(unsigned char first, std::uint64_t length) {
  std::string head(1, static_cast<char>(first));
  head += masked_length(length);
  head.append(4, '\0');  // a zero key: zero bytes stay zero bytes once masked
  return head;
}

RawClient::RawClient(std::uint16_t port) : socket_(idle_context()) {
  socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  socket_.non_blocking(true);
}

RawClient::~RawClient() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

short RawClient::wait(short events, Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd fd{socket_.native_handle(), events, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(std::max<long>(left, 0)));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    return ready > 0 ? fd.revents : short(0);
  }
}

bool RawClient::receive_some() {
  if (ended_) {
    return false;
  }
  char chunk[16 * 1024];
  for (;;) {
    boost::system::error_code ec;
    const auto n = socket_.read_some(net::buffer(chunk), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      return true;
    }
    if (ec) {
      ended_ = true;  // end of stream or reset: the server ended the connection
      return false;
    }
    received_.append(chunk, n);
  }
}

bool RawClient::receive_more(Clock::time_point deadline) {
  for (;;) {
    const auto before = received_.size();
    receive_some();
    if (received_.size() > before) {
      return true;
    }
    if (ended_ || wait(POLLIN, deadline) == 0) {
      return false;
    }
  }
}

bool RawClient::upgrade(const std::string& target, std::chrono::milliseconds timeout) {
  const std::string request = "GET " + target +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Key: "
                              "cmF3IGNsaWVudCBrZXkhIQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  if (!write(request, timeout)) {
    return false;
  }
  const auto deadline = Clock::now() + timeout;
  std::size_t end;
  while ((end = received_.find("\r\n\r\n")) == std::string::npos) {
    if (!receive_more(deadline)) {
      return false;
    }
  }
  const bool switched = received_.starts_with("HTTP/1.1 101");
  received_.erase(0, end + 4);
  return switched;
}

bool RawClient::write(std::string_view bytes, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    boost::system::error_code ec;
    const auto n = socket_.write_some(net::buffer(bytes.data(), bytes.size()), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      // The server is not reading (yet): keep what it sends meanwhile, wait for room.
      // (Once the server's side has ended, POLLIN would wake the wait at once: room only.)
      const auto ready = wait(ended_ ? POLLOUT : POLLOUT | POLLIN, deadline);
      if (ready == 0) {
        return false;
      }
      if ((ready & POLLIN) != 0) {
        receive_some();
      }
      continue;
    }
    if (ec) {
      return false;  // broken pipe or reset: the server ended the connection
    }
    bytes.remove_prefix(n);
    deadline = Clock::now() + timeout;  // a stall, not the whole write, is bounded
  }
  return true;
}

std::size_t RawClient::write_repeatedly(std::string_view chunk, std::size_t total,
                                        std::chrono::milliseconds timeout) {
  std::size_t written = 0;
  while (written < total) {
    const auto part = chunk.substr(0, std::min(chunk.size(), total - written));
    if (!write(part, timeout)) {
      break;
    }
    written += part.size();
    receive_some();  // the server's close frame must not wait behind a reset
  }
  return written;
}

std::optional<RawClient::Frame> RawClient::next_frame(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    // The server's frames are unmasked: FIN/opcode, length (7, 16 or 64 bits), payload.
    const auto* p = reinterpret_cast<const unsigned char*>(received_.data());
    const auto available = received_.size();
    std::size_t head = 2;
    std::uint64_t length = available >= 2 ? (p[1] & 0x7f) : 0;
    if (length == 126) {
      head = 4;
    } else if (length == 127) {
      head = 10;
    }
    if (available >= head && head > 2) {
      length = 0;
      for (std::size_t i = 2; i < head; ++i) {
        length = (length << 8) | p[i];
      }
    }
    if (available >= head && available - head >= length) {
      Frame frame{p[0] & 0x0fu, received_.substr(head, length)};
      received_.erase(0, head + length);
      return frame;
    }
    if (!receive_more(deadline)) {
      return std::nullopt;
    }
  }
}

std::uint16_t RawClient::read_close_code(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  // Data and ping frames before the close are skipped.
  while (auto frame = next_frame(
             std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()))) {
    if (frame->opcode == 0x8) {
      const auto& body = frame->payload;
      return body.size() >= 2
                 ? static_cast<std::uint16_t>((static_cast<unsigned char>(body[0]) << 8) |
                                              static_cast<unsigned char>(body[1]))
                 : 1005;
    }
  }
  return 0;
}

bool RawClient::wait_for_end(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (receive_more(deadline)) {
  }
  return ended_;
}

}  // namespace test_support

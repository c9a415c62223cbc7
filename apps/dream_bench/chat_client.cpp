#include "chat_client.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <cstdint>

namespace dream_bench {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t read_size = 64 * 1024;
constexpr unsigned char mask_key[4] = {0x37, 0xfa, 0x21, 0x3d};

// A client frame (RFC 6455 §5.2): FIN, opcode, the MASK bit, length, key, masked payload.
std::string client_frame(unsigned char opcode, std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 14);
  frame.push_back(static_cast<char>(0x80 | opcode));
  const auto n = payload.size();
  if (n < 126) {
    frame.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(n >> 8));
    frame.push_back(static_cast<char>(n & 0xff));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xff));
    }
  }
  frame.append(reinterpret_cast<const char*>(mask_key), 4);
  for (std::size_t i = 0; i < n; ++i) {
    frame.push_back(static_cast<char>(payload[i] ^ static_cast<char>(mask_key[i % 4])));
  }
  return frame;
}

}  // namespace

ChatClient::ChatClient(net::io_context& io, TextHandler on_text)
    : socket_(io), on_text_(std::move(on_text)) {}

void ChatClient::connect(const tcp::endpoint& server, const std::string& source,
                         const std::string& target, DoneHandler done) {
  done_ = std::move(done);
  boost::system::error_code ec;
  socket_.open(server.protocol(), ec);
  if (!ec && !source.empty()) {
    // Each loopback source address has its own ephemeral ports: more connections fit.
    socket_.bind(tcp::endpoint(net::ip::make_address(source), 0), ec);
  }
  if (ec) {
    return done_("socket: " + ec.message());
  }
  socket_.set_option(tcp::no_delay(true));
  request_ = "GET " + target + " HTTP/1.1\r\nHost: " + server.address().to_string() +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: ZHJlYW1fYmVuY2gga2V5IQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  socket_.async_connect(
      server, [self = shared_from_this()](boost::system::error_code ec) { self->on_connect(ec); });
}

void ChatClient::on_connect(boost::system::error_code ec) {
  if (ec) {
    return done_("connect: " + ec.message());
  }
  net::async_write(
      socket_, net::buffer(request_),
      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (ec) {
          return self->done_("upgrade request: " + ec.message());
        }
        auto parser = std::make_shared<beast::http::response_parser<beast::http::empty_body>>();
        // Whatever follows the 101 response stays in buffer_: the first frames.
        beast::http::async_read_header(
            self->socket_, self->buffer_, *parser,
            [self, parser](boost::system::error_code ec, std::size_t) {
              if (!ec && parser->get().result() != beast::http::status::switching_protocols) {
                return self->done_("upgrade refused: HTTP " +
                                   std::to_string(parser->get().result_int()));
              }
              self->on_upgrade(ec);
            });
      });
}

void ChatClient::on_upgrade(boost::system::error_code ec) {
  if (ec) {
    return done_("upgrade: " + ec.message());
  }
  if (!parse_frames()) {
    return done_("the server closed the connection at once");
  }
  read();
  done_("");
}

void ChatClient::read() {
  socket_.async_read_some(buffer_.prepare(read_size),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                            if (ec) {
                              return self->ended(1006);  // dropped, or closed here
                            }
                            self->buffer_.commit(n);
                            if (!self->parse_frames()) {
                              return;
                            }
                            if (self->paused_) {
                              self->parked_ = true;
                              return;
                            }
                            self->read();
                          });
}

void ChatClient::resume_reading() {
  paused_ = false;
  if (parked_) {
    parked_ = false;
    if (parse_frames()) {
      read();
    }
  }
}

void ChatClient::ended(std::uint16_t code) {
  if (!ended_) {
    ended_ = true;
    if (on_end_) {
      on_end_(code);
    }
  }
}

bool ChatClient::parse_frames() {
  for (;;) {
    const auto data = buffer_.cdata();
    const auto* p = static_cast<const unsigned char*>(data.data());
    const auto available = data.size();
    if (available < 2) {
      return true;
    }
    const bool fin = (p[0] & 0x80) != 0;
    const unsigned opcode = p[0] & 0x0f;
    std::uint64_t length = p[1] & 0x7f;
    std::size_t header = 2;
    if (length == 126) {
      if (available < 4)
        return true;
      length = (std::uint64_t{p[2]} << 8) | p[3];
      header = 4;
    } else if (length == 127) {
      if (available < 10)
        return true;
      length = 0;
      for (int i = 0; i < 8; ++i)
        length = (length << 8) | p[2 + i];
      header = 10;
    }
    if (available < header + length) {
      return true;
    }
    const std::string_view payload(reinterpret_cast<const char*>(p + header), length);
    if (opcode == 0x8) {
      // The server's close: the connection is over.
      ended(length >= 2 ? static_cast<std::uint16_t>((p[header] << 8) | p[header + 1]) : 1005);
      return false;
    }
    if (opcode == 0x9) {
      queue_.push_back(client_frame(0xA, payload));  // pong, as RFC 6455 requires
      if (!writing_)
        write();
    } else if (opcode == 0x1 && fin) {
      on_text_(payload);
    } else if (opcode == 0x1 || opcode == 0x0) {
      fragments_.append(payload);
      if (fin) {
        on_text_(fragments_);
        fragments_.clear();
      }
    }
    buffer_.consume(header + length);
  }
}

void ChatClient::send(std::string text) {
  queue_.push_back(client_frame(0x1, text));
  if (!writing_) {
    write();
  }
}

void ChatClient::close(std::uint16_t code) {
  const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
  queue_.push_back(client_frame(0x8, std::string_view(payload, 2)));
  if (!writing_) {
    write();
  }
}

void ChatClient::send_truncated(const std::string& text) {
  auto frame = client_frame(0x1, text);
  frame.resize(frame.size() / 2);
  queue_.push_back(std::move(frame));
  if (!writing_) {
    write();
  }
}

void ChatClient::write() {
  writing_ = true;
  net::async_write(socket_, net::buffer(queue_.front()),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     self->writing_ = false;
                     self->queue_.pop_front();
                     if (ec) {
                       return;
                     }
                     if (!self->queue_.empty()) {
                       self->write();
                     }
                     if (self->on_written_) {
                       self->on_written_();
                     }
                   });
}

void ChatClient::drop() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);  // a FIN, whatever is still unread
  socket_.close(ignored);
}

void ChatClient::reset() {
  boost::system::error_code ignored;
  socket_.set_option(net::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
}

}  // namespace dream_bench

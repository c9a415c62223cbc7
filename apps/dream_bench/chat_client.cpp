#include "chat_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>

namespace dream_bench {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

ChatClient::ChatClient(net::io_context& io, TextHandler on_text)
    : ws_(io), on_text_(std::move(on_text)) {}

void ChatClient::connect(const tcp::endpoint& server, const std::string& source,
                         const std::string& target, DoneHandler done) {
  done_ = std::move(done);
  target_ = target;
  auto& socket = beast::get_lowest_layer(ws_).socket();
  beast::error_code ec;
  socket.open(server.protocol(), ec);
  if (!ec && !source.empty()) {
    // Each loopback source address has its own ephemeral ports: more connections fit.
    socket.bind(tcp::endpoint(net::ip::make_address(source), 0), ec);
  }
  if (ec) {
    return done_("socket: " + ec.message());
  }
  socket.set_option(tcp::no_delay(true));
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(ws_).async_connect(
      server, [self = shared_from_this()](beast::error_code ec) { self->on_connect(ec); });
}

void ChatClient::on_connect(beast::error_code ec) {
  if (ec) {
    return done_("connect: " + ec.message());
  }
  ws_.async_handshake("127.0.0.1", target_, [self = shared_from_this()](beast::error_code ec) {
    beast::get_lowest_layer(self->ws_).expires_never();
    if (ec) {
      return self->done_("upgrade: " + ec.message());
    }
    self->read();
    self->done_("");
  });
}

void ChatClient::read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      return;  // closed or dropped: the scenario notices what never arrived
    }
    const auto data = self->buffer_.cdata();
    self->on_text_(std::string_view(static_cast<const char*>(data.data()), data.size()));
    self->buffer_.consume(self->buffer_.size());
    self->read();
  });
}

void ChatClient::send(std::string text) {
  queue_.push_back(std::move(text));
  if (!writing_) {
    write();
  }
}

void ChatClient::write() {
  writing_ = true;
  ws_.async_write(net::buffer(queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
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
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace dream_bench

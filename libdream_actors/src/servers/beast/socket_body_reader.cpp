#include "socket_body_reader.hpp"

#include <poll.h>

#include <cerrno>
#include <string_view>

#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "dream/http/status.hpp"

namespace dream::servers::beast::detail {

namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {
constexpr std::size_t chunk_bytes = 64 * 1024;
}

SocketBodyReader::SocketBodyReader(Transport& socket, boost::beast::flat_buffer& buffer,
                                   Parser& parser, std::chrono::seconds timeout,
                                   bool expect_continue, const SharedState& state)
    : socket_(socket),
      buffer_(buffer),
      parser_(parser),
      timeout_(timeout),
      expect_continue_(expect_continue),
      state_(state) {
  parser_.eager(true);
  // Non-blocking, so a read that would wait returns and we wait in poll() with a timeout:
  // Asio's blocking reads cannot time out. (Over TLS too: a TLS read that wants more bytes
  // fails the same way and resumes where it stopped.)
  socket_.next_layer().non_blocking(true);
}

SocketBodyReader::~SocketBodyReader() {
  boost::system::error_code ignored;
  socket_.next_layer().non_blocking(false, ignored);
  parser_.get().body().data = nullptr;
}

void SocketBodyReader::fail(unsigned status, const std::string& reason) {
  failure_.emplace(status, reason);
  throw *failure_;
}

bool SocketBodyReader::wait(short events) {
  // In slices, so a server that starts stopping meanwhile is noticed within one.
  constexpr auto slice = std::chrono::milliseconds(100);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (std::chrono::steady_clock::now() < deadline) {
    if (state_.stopping()) {
      fail(http::status::service_unavailable, "server stopping");
    }
    pollfd fd{socket_.next_layer().native_handle(), events, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(slice.count()));
    if (ready > 0) {
      return true;
    }
    if (ready < 0 && errno != EINTR) {
      return false;
    }
  }
  return false;
}

void SocketBodyReader::send_continue() {
  // A client that sent "Expect: 100-continue" (curl does for large uploads) waits for this
  // before sending the body; it goes only once the controller wants the body.
  expect_continue_ = false;
  std::string_view rest = "HTTP/1.1 100 Continue\r\n\r\n";
  if (socket_.is_tls()) {
    // A TLS write that would block loses the rest of its record, so this one blocks (the
    // client waits for these few bytes, and the socket has room for them).
    boost::system::error_code ec;
    boost::system::error_code ignored;
    socket_.next_layer().non_blocking(false, ignored);
    net::write(socket_, net::buffer(rest.data(), rest.size()), ec);
    socket_.next_layer().non_blocking(true, ignored);
    if (ec) {
      fail(http::status::bad_request, "connection closed before the request body");
    }
    return;
  }
  while (!rest.empty()) {
    boost::system::error_code ec;
    const auto sent = socket_.write_some(net::buffer(rest.data(), rest.size()), ec);
    if (ec == net::error::would_block) {
      if (!wait(POLLOUT)) {
        fail(http::status::request_timeout, "request body timed out");
      }
      continue;
    }
    if (ec) {
      fail(http::status::bad_request, "connection closed before the request body");
    }
    rest.remove_prefix(sent);
  }
}

std::optional<std::string> SocketBodyReader::next_chunk() {
  if (failure_) {
    throw *failure_;  // the controller asked again after a failure
  }
  if (state_.stopping()) {
    fail(http::status::service_unavailable, "server stopping");
  }
  if (expect_continue_ && !parser_.is_done()) {
    send_continue();
  }
  std::string chunk(chunk_bytes, '\0');
  auto& body = parser_.get().body();
  while (!parser_.is_done()) {
    body.data = chunk.data();
    body.size = chunk.size();
    boost::system::error_code ec;
    if (buffer_.size() > 0) {
      buffer_.consume(parser_.put(buffer_.data(), ec));
    } else {
      ec = bhttp::error::need_more;
    }
    const auto used = chunk.size() - body.size;
    if (ec == bhttp::error::body_limit) {
      fail(http::status::payload_too_large, "payload too large");
    }
    if (ec && ec != bhttp::error::need_more && ec != bhttp::error::need_buffer) {
      fail(http::status::bad_request, "malformed request body");
    }
    if (used > 0) {
      chunk.resize(used);
      return chunk;
    }
    if (parser_.is_done()) {
      break;
    }
    if (ec != bhttp::error::need_more) {
      continue;  // a chunk header or the end was parsed: go on with the buffered bytes
    }
    // Nothing buffered to parse: read, waiting at most the timeout for the client.
    const auto read = socket_.read_some(buffer_.prepare(chunk_bytes), ec);
    if (ec == net::error::would_block) {
      if (!wait(POLLIN)) {
        fail(http::status::request_timeout, "request body timed out");
      }
      continue;
    }
    if (ec) {
      fail(http::status::bad_request, "connection closed inside the request body");
    }
    buffer_.commit(read);
  }
  return std::nullopt;
}

}  // namespace dream::servers::beast::detail

#include "sse_client.hpp"

#include <poll.h>

#include <algorithm>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "dream/http/headers.hpp"

namespace test_support {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct SseClient::Impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};

  // Appends what one read gets within `timeout` to `into`. Beast's timeouts apply only to
  // asynchronous operations (and close the socket when they fire), so the wait is poll()'s:
  // a timeout leaves the connection as it was. Sets `eof` when the server has closed.
  enum class Read { data, timeout, eof };
  Read read_more(std::string& into, std::chrono::milliseconds timeout) {
    pollfd fd{stream.socket().native_handle(), POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(std::max<long>(timeout.count(), 0)));
    if (ready == 0) {
      return Read::timeout;
    }
    char chunk[4096];
    beast::error_code ec;
    const auto n = stream.socket().read_some(net::buffer(chunk), ec);
    into.append(chunk, n);
    return ec ? Read::eof : Read::data;
  }
};

SseClient::SseClient(std::uint16_t port, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& method)
    : impl_(std::make_unique<Impl>()) {
  impl_->stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) {
    request += name + ": " + value + "\r\n";
  }
  request += "\r\n";
  net::write(impl_->stream.socket(), net::buffer(request));
  std::string::size_type end;
  while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (impl_->read_more(pending_, std::chrono::seconds(20)) != Impl::Read::data) {
      throw std::runtime_error("no response head from the server: '" + pending_ + "'");
    }
  }
  const std::string head = pending_.substr(0, end + 2);
  pending_.erase(0, end + 4);
  // "HTTP/1.1 200 OK\r\n" then "Name: value\r\n" lines.
  status_ = static_cast<unsigned>(std::stoul(head.substr(9, 3)));
  auto line_start = head.find("\r\n") + 2;
  while (line_start < head.size()) {
    const auto line_end = head.find("\r\n", line_start);
    const auto line = head.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    headers_.emplace_back(line.substr(0, colon), value);
    line_start = line_end + 2;
  }
}

SseClient::~SseClient() = default;

std::string SseClient::header(const std::string& name) const {
  for (const auto& [n, v] : headers_) {
    if (dream::http::iequals(n, name)) {
      return v;
    }
  }
  return {};
}

std::optional<std::string> SseClient::next_block(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string::size_type end;
  while ((end = pending_.find("\n\n")) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (eof_ || left <= std::chrono::milliseconds::zero()) {
      return std::nullopt;
    }
    const auto read = impl_->read_more(pending_, left);
    if (read == Impl::Read::eof) {
      eof_ = true;
    } else if (read == Impl::Read::timeout) {
      return std::nullopt;
    }
  }
  auto block = pending_.substr(0, end + 2);
  pending_.erase(0, end + 2);
  return block;
}

bool SseClient::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds::zero()) {
      return false;
    }
    const auto read = impl_->read_more(pending_, left);
    if (read == Impl::Read::eof) {
      eof_ = true;
    } else if (read == Impl::Read::timeout) {
      return false;
    }
  }
  return true;
}

void SseClient::drop() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream.socket().close(ignored);
}

}  // namespace test_support

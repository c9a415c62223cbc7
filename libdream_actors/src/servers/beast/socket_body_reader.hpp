#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "dream/http/body_reader.hpp"
#include "shared_state.hpp"
#include "transport.hpp"

namespace dream::servers::beast::detail {

/// A stream route's body, read from the socket as the controller asks for it: synchronous
/// reads on the connection's I/O thread, each waiting at most `timeout` for data, and none
/// once the server is stopping (503).
class SocketBodyReader final : public http::BodyReader {
 public:
  using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
  /// `buffer` holds what was read past the head; `parser` has read the head. With
  /// `expect_continue`, "100 Continue" is sent when the controller first asks for the body.
  SocketBodyReader(Transport& socket, boost::beast::flat_buffer& buffer, Parser& parser,
                   std::chrono::seconds timeout, bool expect_continue, const SharedState& state);
  ~SocketBodyReader() override;

  std::optional<std::string> next_chunk() override;
  /// Why reading failed (what the client must be told), or nothing.
  const std::optional<http::BodyError>& failure() const noexcept { return failure_; }

 private:
  [[noreturn]] void fail(unsigned status, const std::string& reason);
  bool wait(short events);  // false once the timeout has passed
  void send_continue();

  Transport& socket_;
  boost::beast::flat_buffer& buffer_;
  Parser& parser_;
  std::chrono::seconds timeout_;
  bool expect_continue_;
  const SharedState& state_;
  std::optional<http::BodyError> failure_;
};

}  // namespace dream::servers::beast::detail

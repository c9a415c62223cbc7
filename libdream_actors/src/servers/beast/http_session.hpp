#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "session.hpp"
#include "shared_state.hpp"

namespace dream::servers::beast::detail {

/// One HTTP connection: reads a request within the limits, hands it to the handler, writes
/// the response, and keeps the connection alive when the client asks to.
class HttpSession : public Session, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<SharedState> state);
  ~HttpSession() override;

  void run();
  void close() override;

 private:
  void do_read();
  void on_read(boost::beast::error_code ec);
  void answer(http::Response response, bool keep_alive, bool head);
  void upgrade(http::Response response);
  void stream_events(http::Response response);
  void refuse(unsigned status, const char* reason);
  void on_write(bool keep_alive, boost::beast::error_code ec);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
};

}  // namespace dream::servers::beast::detail

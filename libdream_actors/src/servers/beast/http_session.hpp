#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include "connection_slot.hpp"
#include "session.hpp"
#include "shared_state.hpp"
#include "timed_transport.hpp"

namespace dream::servers::beast::detail {

/// One HTTP connection: reads a request within the limits, hands it to the handler, writes
/// the response, and keeps the connection alive when the client asks to.
class HttpSession : public Session, public std::enable_shared_from_this<HttpSession> {
 public:
  /// `slot` is the connection's place in the server's count (empty when refused).
  HttpSession(Transport transport, std::shared_ptr<SharedState> state, ConnectionSlot slot);
  ~HttpSession() override;

  void run();
  /// Answers 503 (the server has max_connections open) and closes at once.
  void refuse_at_capacity();
  /// Closes once the response being written (if any) is out: stop() loses no answer.
  void close() override;

 private:
  // TLS (http_session_tls.cpp): the handshake before the first request.
  void handshake();
  void do_read();
  void on_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  // False (having answered or closed) if `ec` ended the read.
  bool read_ok(boost::beast::error_code ec);
  // A stream route (http_session_stream_request.cpp): the controller reads the body itself.
  void serve_stream_route();
  // The handler's response; a throw is logged and becomes a 500.
  http::Response call_controller(http::Request& request, std::string_view method);
  // The server's own routes (ServerConfig::health_route, metrics_route), or nothing.
  std::optional<http::Response> server_route(std::string_view target) const;
  void answer(http::Response response, bool keep_alive, bool head);
  void upgrade(http::Response response);
  void stream_events(http::Response response);
  // Answers `status` with `reason` and closes; logs both, and `detail` (from the request) if any.
  void refuse(unsigned status, const char* reason, std::string_view detail = {});
  void on_write(bool keep_alive, boost::beast::error_code ec);
  void linger(std::size_t dropped);
  // A streamed body (http_session_stream.cpp): the head, then one chunk per write.
  void stream_body(http::Response response, bool keep_alive, bool head);
  void write_next_chunk(bool keep_alive);
  void end_stream(bool keep_alive);

  TimedTransport stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  bool writing_ = false;          // a response is being written
  bool close_requested_ = false;  // stop(): close once it is out, keep nothing alive
  // The head is read first, then the parser becomes one for the route's kind of body.
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> head_parser_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  boost::beast::http::response<boost::beast::http::empty_body> stream_head_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      stream_serializer_;
  std::shared_ptr<http::BodyStream> body_stream_;
  std::string chunk_;  // the chunk being written, kept alive until its write completes
};

}  // namespace dream::servers::beast::detail

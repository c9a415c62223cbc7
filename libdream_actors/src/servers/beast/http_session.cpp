#include "http_session.hpp"

#include <exception>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "../../log.hpp"
#include "websocket_session.hpp"

namespace dream::servers::beast::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

// The request as a controller sees it; nothing if its method is not one HTTP defines.
std::optional<http::Request> to_request(bhttp::request<bhttp::string_body>& raw) {
  auto method = http::parse_method(raw.method_string());
  if (!method) {
    return std::nullopt;
  }
  http::Request request;
  request.method = *method;
  const std::string_view target = raw.target();
  const auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    request.query = std::string(target.substr(question + 1));
  }
  for (const auto& field : raw) {
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(raw.body());
  return request;
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, std::shared_ptr<SharedState> state)
    : stream_(std::move(socket)), state_(std::move(state)) {}

HttpSession::~HttpSession() {
  state_->leave(this);
}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void HttpSession::close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    self->stream_.close();
  });
}

void HttpSession::do_read() {
  const auto& config = state_->config();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
  parser_->body_limit(config.max_body_bytes);
  stream_.expires_after(config.request_timeout);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
      ec == beast::error::timeout || ec == net::error::eof || ec == net::error::connection_reset ||
      ec == net::error::bad_descriptor) {
    stream_.close();  // the client left, went quiet, or the server is stopping
    return;
  }
  if (ec == bhttp::error::header_limit) {
    return refuse(http::status::request_header_fields_too_large, "request header fields too large");
  }
  if (ec == bhttp::error::body_limit) {
    return refuse(http::status::payload_too_large, "payload too large");
  }
  if (ec) {
    return refuse(http::status::bad_request, "malformed request");
  }
  auto& raw = parser_->get();
  const bool keep_alive = raw.keep_alive();
  const bool head = raw.method() == bhttp::verb::head;
  if (raw.target().empty() || raw.target().front() != '/') {
    return refuse(http::status::bad_request, "request target must be a path");
  }
  auto request = to_request(raw);
  if (!request) {
    return answer(http::text_response(http::status::not_implemented, "Not Implemented"), keep_alive,
                  head);
  }
  http::Response response;
  try {
    response = state_->handler()(*request);
  } catch (const std::exception& e) {
    dream::detail::log_error("http {} {}: controller threw: {}", raw.method_string(), request->path,
                             e.what());
    response = http::internal_server_error();
  } catch (...) {
    dream::detail::log_error("http {} {}: controller threw a non-standard exception",
                             raw.method_string(), request->path);
    response = http::internal_server_error();
  }
  if (response.upgrade) {
    if (!boost::beast::websocket::is_upgrade(raw)) {
      return refuse(http::status::bad_request, "not a WebSocket upgrade request");
    }
    return upgrade(std::move(response.upgrade));
  }
  answer(std::move(response), keep_alive, head);
}

void HttpSession::upgrade(std::shared_ptr<const dream::detail::WebSocketUpgrade> upgrade) {
  // The socket, and the request Beast needs for the handshake, move to a WebSocketSession;
  // this HTTP session ends here.
  auto session =
      std::make_shared<WebSocketSession>(stream_.release_socket(), state_, std::move(upgrade));
  state_->join(session);
  session->run(parser_->release());
}

void HttpSession::answer(http::Response response, bool keep_alive, bool head) {
  response_ = {};
  response_.version(11);
  response_.result(response.status);
  for (const auto& [name, value] : response.headers) {
    response_.insert(name, value);
  }
  response_.keep_alive(keep_alive);
  if (head) {
    // HEAD: the headers GET would send, Content-Length included, and no body.
    response_.content_length(response.body.size());
  } else {
    response_.body() = std::move(response.body);
    response_.prepare_payload();
  }
  bhttp::async_write(stream_, response_,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       self->on_write(keep_alive, ec);
                     });
}

void HttpSession::refuse(unsigned status, const char* reason) {
  beast::error_code ignored;
  const auto peer = stream_.socket().remote_endpoint(ignored);
  dream::detail::log_error("http {} from {}:{}: {}", status, peer.address().to_string(),
                           peer.port(), reason);
  // After a request we could not read, the stream's position is unknown: answer and close.
  answer(http::text_response(status, reason), false, false);
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec) {
  if (ec || !keep_alive) {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    return;
  }
  do_read();
}

}  // namespace dream::servers::beast::detail

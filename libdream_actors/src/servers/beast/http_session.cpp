#include "http_session.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "../../log.hpp"
#include "sse_session.hpp"
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

namespace {

bool is_token_char(char c) {
  // RFC 9110 tchar: what a header name may contain.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Why `response` cannot be sent as it is, or nothing. A CR or LF in a header would let a
// value chosen by a client (a redirect target, say) add headers of its own.
std::optional<std::string> unsendable(const http::Response& response) {
  if (response.status < 100 || response.status > 999) {
    return "status " + std::to_string(response.status) + " is not an HTTP status";
  }
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
      return "header name '" + name + "' is not a token";
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return "header " + name + " holds a CR, LF or NUL";
    }
    if (value.size() > 65535) {
      return "header " + name + " is longer than 64 KiB";
    }
  }
  return std::nullopt;
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
    if (auto problem = unsendable(response)) {
      dream::detail::log_error("http: an upgrade's headers cannot be sent ({}); answering 500",
                               *problem);
      return answer(http::internal_server_error(), keep_alive, head);
    }
    return upgrade(std::move(response));
  }
  if (response.sse) {
    if (auto problem = unsendable(response)) {
      dream::detail::log_error("http: an SSE response's headers cannot be sent ({}); answering 500",
                               *problem);
      return answer(http::internal_server_error(), keep_alive, head);
    }
    if (head) {
      return answer(std::move(response), keep_alive, head);  // the head a GET gets, no stream
    }
    return stream_events(std::move(response));
  }
  answer(std::move(response), keep_alive, head);
}

void HttpSession::upgrade(http::Response response) {
  // The socket, and the request Beast needs for the handshake, move to a WebSocketSession;
  // this HTTP session ends here. Headers the controller (or a middleware) set, a cookie or a
  // subprotocol, go on the handshake response.
  auto session = std::make_shared<WebSocketSession>(stream_.release_socket(), state_,
                                                    std::move(response.upgrade));
  state_->join(session);
  session->run(parser_->release(), std::move(response.headers));
}

void HttpSession::stream_events(http::Response response) {
  // The socket moves to an SseSession, which sends the head (with the headers the controller
  // and its middleware set) and then the connection's events; this HTTP session ends here.
  stream_.expires_never();
  auto session =
      std::make_shared<SseSession>(stream_.release_socket(), state_, std::move(response.sse));
  state_->join(session);
  session->run(std::move(response.headers));
}

void HttpSession::answer(http::Response response, bool keep_alive, bool head) {
  if (auto problem = unsendable(response)) {
    dream::detail::log_error("http: a controller's response cannot be sent ({}); answering 500",
                             *problem);
    response = http::internal_server_error();
  }
  response_ = {};
  response_.version(11);
  response_.result(response.status);
  for (const auto& [name, value] : response.headers) {
    response_.insert(name, value);
  }
  response_.keep_alive(keep_alive);
  const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
  if (head || bodiless) {
    // HEAD: the headers GET would send, Content-Length included, and no body. 1xx, 204 and
    // 304 have no body at all, whatever the controller put there.
    if (head && !bodiless && !response.sse) {  // an event stream has no length
      response_.content_length(response.body.size());
    }
  } else {
    response_.body() = std::move(response.body);
    response_.prepare_payload();
  }
  // The write has its own deadline: the time the request took does not count against it.
  stream_.expires_after(state_->config().request_timeout);
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

#include "http_session.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "../../log.hpp"
#include "beast_request.hpp"
#include "sse_session.hpp"
#include "websocket_session.hpp"

namespace dream::servers::beast::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

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

HttpSession::HttpSession(Transport transport, std::shared_ptr<SharedState> state,
                         ConnectionSlot slot)
    : stream_(std::move(transport)), state_(std::move(state)), slot_(std::move(slot)) {}

HttpSession::~HttpSession() {
  state_->leave(this);
}

void HttpSession::run() {
  stream_.set_owner(weak_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->stream_.next_layer().is_tls() ? self->handshake() : self->do_read();
  });
}

void HttpSession::refuse_at_capacity() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    // No lingering for the client's request: this connection holds no place, so a flood of
    // them must not pile up. The answer goes out, what has arrived is read, the socket closes.
    // (The listener logs refusals, at most one line a second.) Over TLS the answer would cost a
    // handshake first, which is what a flood at the limit must not get: closed unanswered.
    if (self->stream_.next_layer().is_tls()) {
      return self->stream_.close();
    }
    self->close_requested_ = true;
    self->answer(
        http::text_response(http::status::service_unavailable, "server at its connection limit"),
        false, false);
  });
}

void HttpSession::close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->writing_) {
      self->close_requested_ = true;  // on_write closes: the answer in flight is not lost
      return;
    }
    beast::error_code ignored;
    self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    self->stream_.close();
  });
}

void HttpSession::do_read() {
  const auto& config = state_->config();
  head_parser_.emplace();
  head_parser_->header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
  // A Content-Length above both limits fails here; the route's own limit is checked once the
  // route is known (on_header).
  head_parser_->body_limit(std::max(config.max_body_bytes, config.max_streamed_body_bytes));
  stream_.expires_after(config.request_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *head_parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

bool HttpSession::read_ok(beast::error_code ec) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
      ec == beast::error::timeout || ec == net::error::eof || ec == net::error::connection_reset ||
      ec == net::error::bad_descriptor || ec == net::ssl::error::stream_truncated) {
    stream_.close();  // the client left, went quiet, or the server is stopping
    return false;
  }
  if (ec == bhttp::error::header_limit) {
    refuse(http::status::request_header_fields_too_large, "request header fields too large");
    return false;
  }
  if (ec == bhttp::error::body_limit) {
    refuse(http::status::payload_too_large, "payload too large");
    return false;
  }
  if (ec) {
    refuse(http::status::bad_request, "malformed request");
    return false;
  }
  return true;
}

void HttpSession::on_header(beast::error_code ec) {
  if (!read_ok(ec)) {
    return;
  }
  const auto& config = state_->config();
  const auto& head = head_parser_->get();
  const auto method = http::parse_method(head.method_string());
  const std::string_view target = head.target();
  const bool stream =
      method && state_->stream_routes()(*method, std::string(target.substr(0, target.find('?'))));
  const auto limit = stream ? config.max_streamed_body_bytes : config.max_body_bytes;
  if (const auto length = head_parser_->content_length(); length && *length > limit) {
    refuse(http::status::payload_too_large, "payload too large");
    return;
  }
  if (stream) {
    return serve_stream_route();
  }
  parser_.emplace(std::move(*head_parser_));
  head_parser_.reset();
  parser_->body_limit(limit);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (!read_ok(ec)) {
    return;
  }
  auto& raw = parser_->get();
  const bool keep_alive = raw.keep_alive();
  const bool head = raw.method() == bhttp::verb::head;
  if (raw.target().empty() || raw.target().front() != '/') {
    return refuse(http::status::bad_request, "request target must be a path");
  }
  if (raw.method() == bhttp::verb::get || head) {
    if (auto response = server_route(raw.target())) {
      return answer(std::move(*response), keep_alive, head);
    }
  }
  if (boost::beast::websocket::is_upgrade(raw)) {
    // A browser sends its page's origin; another site's page must not ride on the user's
    // cookies (cross-site WebSocket hijacking). Checked before any controller runs.
    const auto origin = raw.find(bhttp::field::origin);
    if (origin != raw.end() &&
        !state_->origins().allows(origin->value(), raw[bhttp::field::host])) {
      return refuse(http::status::forbidden, "WebSocket upgrade from a disallowed origin",
                    origin->value());
    }
  }
  auto request = to_request(raw);
  if (!request) {
    return answer(http::text_response(http::status::not_implemented, "Not Implemented"), keep_alive,
                  head);
  }
  auto response = call_controller(*request, raw.method_string());
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

std::optional<http::Response> HttpSession::server_route(std::string_view target) const {
  const auto path = target.substr(0, target.find('?'));
  const auto& config = state_->config();
  if (!config.health_route.empty() && path == config.health_route) {
    return http::text_response(http::status::ok, "ok\n");
  }
  if (!config.metrics_route.empty() && path == config.metrics_route) {
    auto response =
        http::text_response(http::status::ok, prometheus_text(state_->counters().snapshot()));
    response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.headers.set("Cache-Control", "no-store");
    return response;
  }
  return std::nullopt;
}

http::Response HttpSession::call_controller(http::Request& request, std::string_view method) {
  try {
    return state_->handler()(request);
  } catch (const http::BodyError& e) {
    // On a stream route, its body was refused: serve_stream_route logs and answers that.
    if (request.body_reader == nullptr) {
      Counters::add(state_->counters().handler_exceptions_total);
      dream::detail::log_error("http {} {}: controller threw: {}", method, request.path, e.what());
    }
  } catch (const std::exception& e) {
    Counters::add(state_->counters().handler_exceptions_total);
    dream::detail::log_error("http {} {}: controller threw: {}", method, request.path, e.what());
  } catch (...) {
    Counters::add(state_->counters().handler_exceptions_total);
    dream::detail::log_error("http {} {}: controller threw a non-standard exception", method,
                             request.path);
  }
  return http::internal_server_error();
}

void HttpSession::upgrade(http::Response response) {
  // The socket, and the request Beast needs for the handshake, move to a WebSocketSession;
  // this HTTP session ends here. Headers the controller (or a middleware) set, a cookie or a
  // subprotocol, go on the handshake response.
  auto session = std::make_shared<WebSocketSession>(stream_.release_socket(), state_,
                                                    std::move(slot_), std::move(response.upgrade));
  state_->join(session);
  session->run(parser_->release(), std::move(response.headers));
}

void HttpSession::stream_events(http::Response response) {
  // The socket moves to an SseSession, which sends the head (with the headers the controller
  // and its middleware set) and then the connection's events; this HTTP session ends here.
  stream_.expires_never();
  auto session = std::make_shared<SseSession>(stream_.release_socket(), state_, std::move(slot_),
                                              std::move(response.sse));
  state_->join(session);
  session->run(std::move(response.headers));
}

void HttpSession::answer(http::Response response, bool keep_alive, bool head) {
  if (auto problem = unsendable(response)) {
    dream::detail::log_error("http: a controller's response cannot be sent ({}); answering 500",
                             *problem);
    response = http::internal_server_error();
  }
  const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
  if (response.stream && !bodiless) {
    return stream_body(std::move(response), keep_alive, head);
  }
  response_ = {};
  response_.version(11);
  response_.result(response.status);
  for (const auto& [name, value] : response.headers) {
    response_.insert(name, value);
  }
  response_.keep_alive(keep_alive);
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
  writing_ = true;
  bhttp::async_write(stream_, response_,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       self->on_write(keep_alive, ec);
                     });
}

void HttpSession::refuse(unsigned status, const char* reason, std::string_view detail) {
  beast::error_code ignored;
  const auto peer = stream_.socket().remote_endpoint(ignored);
  if (detail.empty()) {
    dream::detail::log_error("http {} from {}:{}: {}", status, peer.address().to_string(),
                             peer.port(), reason);
  } else {
    // The detail came from the client: quoted and escaped, it cannot forge a log line.
    dream::detail::log_error("http {} from {}:{}: {} ({:?})", status, peer.address().to_string(),
                             peer.port(), reason, detail);
  }
  // After a request we could not read, the stream's position is unknown: answer and close.
  answer(http::text_response(status, reason), false, false);
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec) {
  writing_ = false;
  if (ec || !keep_alive || close_requested_) {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    if (close_requested_) {
      // The server is stopping and will not wait for the client to finish sending: what has
      // arrived is read (closing on unread bytes would reset the connection under our
      // answer), then the socket closes.
      auto& socket = stream_.socket();
      while (!ec && socket.available(ec) > 0) {
        buffer_.clear();
        buffer_.commit(socket.read_some(buffer_.prepare(socket.available(ec)), ec));
      }
      return stream_.close();
    }
    if (!ec) {
      linger(0);
    }
    return;
  }
  do_read();
}

void HttpSession::linger(std::size_t dropped) {
  // Closing a socket with request bytes still unread makes the kernel send a reset, which can
  // destroy our response before the client reads it (a refused or half-read body). So read and
  // drop what the client still sends until it closes: at most the body limit, within the
  // request timeout (set by the write just done).
  if (dropped > state_->config().max_body_bytes) {
    return stream_.close();
  }
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this(), dropped](
                                                          beast::error_code ec, std::size_t n) {
    if (ec) {
      return self->stream_.close();
    }
    self->linger(dropped + n);
  });
}

}  // namespace dream::servers::beast::detail

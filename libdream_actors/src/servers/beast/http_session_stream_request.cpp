// HttpSession's stream routes: the head has been read, the body is left on the socket for the
// controller to pull through request.body_stream() (a SocketBodyReader).
#include <utility>

#include <boost/beast/http/field.hpp>

#include "../../log.hpp"
#include "beast_request.hpp"
#include "http_session.hpp"
#include "socket_body_reader.hpp"

namespace dream::servers::beast::detail {

namespace bhttp = boost::beast::http;

void HttpSession::serve_stream_route() {
  const auto& config = state_->config();
  SocketBodyReader::Parser parser(std::move(*head_parser_));
  head_parser_.reset();
  parser.body_limit(config.max_streamed_body_bytes);  // for a chunked body, counted as it comes
  auto& raw = parser.get();
  const bool keep_alive = raw.keep_alive();
  const bool head = raw.method() == bhttp::verb::head;
  if (raw.target().empty() || raw.target().front() != '/') {
    return refuse(http::status::bad_request, "request target must be a path");
  }
  auto request = to_request(raw);  // the method is known: the route matched it
  // The controller runs here, on this I/O thread, reading the socket synchronously (with the
  // request timeout for each read): no other connection's work runs on this thread meanwhile.
  stream_.expires_never();
  http::Response response;
  std::optional<http::BodyError> failure;
  {
    const bool expect_continue = http::iequals(raw[bhttp::field::expect], "100-continue");
    SocketBodyReader reader(stream_.next_layer(), buffer_, parser, config.request_timeout,
                            expect_continue, *state_);
    request->body_reader = &reader;
    response = call_controller(*request, raw.method_string());
    failure = reader.failure();
  }
  if (failure) {
    // Whatever the controller made of it, the client is told why its body was refused, and
    // the connection closes: where the next request would start is unknown.
    return refuse(failure->status(), failure->what());
  }
  if (response.upgrade || response.sse) {
    dream::detail::log_error("http {} {}: a stream route cannot upgrade; answering 500",
                             raw.method_string(), request->path);
    response = http::internal_server_error();
  }
  // A body the controller did not read to the end is still on the socket: close after this.
  answer(std::move(response), keep_alive && parser.is_done(), head);
}

}  // namespace dream::servers::beast::detail

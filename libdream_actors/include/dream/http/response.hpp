#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "dream/http/body_stream.hpp"
#include "dream/http/headers.hpp"
#include "dream/http/status.hpp"

namespace dream::detail {
struct WebSocketUpgrade;
struct SseUpgrade;
}  // namespace dream::detail

namespace dream::http {

/// What a controller returns: a status, headers and a body (Dream's Response record).
/// Content-Length, Date, Connection and Transfer-Encoding are the server's to set.
struct Response {
  unsigned status = status::ok;
  Headers headers;
  std::string body;
  /// Set by websocket::upgrade_websocket: the server then completes the handshake instead.
  std::shared_ptr<const detail::WebSocketUpgrade> upgrade;
  /// Set by sse::upgrade_to_sse: the server then streams events on the connection instead.
  std::shared_ptr<const detail::SseUpgrade> sse;
  /// Set by stream_response: the body is this stream's chunks (chunked encoding), not `body`.
  std::shared_ptr<BodyStream> stream;
};

/// `body` as text/plain; charset=utf-8.
Response text_response(unsigned status, std::string body);
/// `body` as text/html; charset=utf-8.
Response html_response(unsigned status, std::string body);
/// `body` (already JSON) as application/json.
Response json_response(unsigned status, std::string body);
/// No body.
Response empty_response(unsigned status);
/// A redirect to `location` (303 See Other is the usual status after a POST).
Response redirect_response(unsigned status, std::string location);

/// A response whose body `next(state)` produces chunk by chunk, each only once the previous one
/// has been written (backpressure); nothing from `next` ends it. `next` may also be a lambda
/// without captures (the state is passed explicitly). See docs/streaming.md.
template <class State>
Response stream_response(unsigned status, std::string content_type, State state,
                         std::type_identity_t<std::optional<std::string> (*)(State&)> next) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", std::move(content_type));
  response.stream = std::make_shared<FunctionBodyStream<State>>(std::move(state), next);
  return response;
}

/// 401 with `message` as text: what a controller returns to refuse, e.g. at WebSocket upgrade.
Response unauthorized(std::string message);
/// 403 with `message` as text.
Response forbidden(std::string message);
/// 404 "Not Found".
Response not_found();
/// 400 with `message` as text.
Response bad_request(std::string message);
/// 500 "Internal Server Error"; the details belong in the log, not in the response.
Response internal_server_error();

}  // namespace dream::http

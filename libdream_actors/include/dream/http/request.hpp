#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dream/http/body_reader.hpp"
#include "dream/http/headers.hpp"
#include "dream/http/method.hpp"

namespace dream::http {

/// One HTTP request as a controller sees it (Dream's Request record).
/// `path` and `query` are as they came on the wire (still percent-encoded).
struct Request {
  Method method = Method::Get;
  std::string path = "/";
  std::string query;  // without the '?'
  Headers headers;
  std::string body;  // empty on a stream route: read body_stream() instead
  /// Path parameters the router matched (`:id`, `**filepath`), percent-decoded.
  std::vector<std::pair<std::string, std::string>> params;
  /// On a Router::stream_route, the unread body; null elsewhere. Set by the server.
  BodyReader* body_reader = nullptr;

  /// The first query parameter `name`, percent-decoded ('+' is a space), or nothing.
  /// A value that does not decode (a stray '%') counts as absent.
  std::optional<std::string> query_param(std::string_view name) const;
  /// The header `name` (any case), or nothing.
  std::optional<std::string_view> header(std::string_view name) const noexcept {
    return headers.get(name);
  }
  /// The body as a stream of chunks, on a Router::stream_route. Throws std::logic_error on any
  /// other route, whose body the server has already read into `body`.
  BodyReader& body_stream() const;
  /// The path parameter `name` the router matched, or nothing.
  std::optional<std::string_view> param(std::string_view name) const noexcept;
};

}  // namespace dream::http

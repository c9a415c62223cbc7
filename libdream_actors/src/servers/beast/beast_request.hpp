#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "dream/http/request.hpp"

namespace dream::servers::beast::detail {

/// The request as a controller sees it, from Beast's; nothing if its method is not one HTTP
/// defines. A string body moves into it; any other body (a stream route's) stays unread.
template <class Body>
std::optional<http::Request> to_request(boost::beast::http::request<Body>& raw) {
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
  if constexpr (std::is_same_v<Body, boost::beast::http::string_body>) {
    request.body = std::move(raw.body());
  }
  return request;
}

}  // namespace dream::servers::beast::detail

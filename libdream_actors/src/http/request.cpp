#include "dream/http/request.hpp"

#include <stdexcept>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace dream::http {

std::optional<std::string> Request::query_param(std::string_view name) const {
  // Boost.URL validates and decodes; '+' means a space in query strings sent by forms.
  boost::urls::encoding_opts options;
  options.space_as_plus = true;
  if (!boost::urls::parse_query(query)) {
    return std::nullopt;  // not a valid query string: no parameter can be trusted
  }
  const boost::urls::params_view params(query, options);
  for (auto param : params) {
    if (param.key == name) {
      return param.has_value ? param.value : std::string();
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::param(std::string_view name) const noexcept {
  for (const auto& [n, v] : params) {
    if (n == name) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

}  // namespace dream::http

namespace dream::http {

BodyReader& Request::body_stream() const {
  if (body_reader == nullptr) {
    throw std::logic_error("body_stream() on a route that is not a stream_route: read body");
  }
  return *body_reader;
}

}  // namespace dream::http

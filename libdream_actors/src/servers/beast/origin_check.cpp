#include "origin_check.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include <boost/url/parse.hpp>

namespace dream::servers::beast::detail {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(),
                         [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
  return out;
}

// What two origins are compared by (RFC 6454): scheme, host and port, the scheme's default
// port written out, so "https://a.example" and "https://A.example:443" are one origin.
struct Origin {
  std::string scheme;
  std::string host;
  std::uint16_t port = 0;

  bool operator==(const Origin&) const = default;
};

std::uint16_t default_port(std::string_view scheme) {
  return scheme == "https" ? 443 : 80;
}

// An http or https origin, scheme://host[:port] and nothing more (a '/' after it is let
// pass, as an address bar shows one); nothing for "null" (a sandboxed or file: page) and
// anything else.
std::optional<Origin> parse_origin(std::string_view text) {
  const auto url = boost::urls::parse_absolute_uri(text);
  if (!url || !url->has_authority() || url->has_userinfo() ||
      (!url->encoded_path().empty() && url->encoded_path() != "/") || url->has_query() ||
      url->encoded_host().empty()) {
    return std::nullopt;
  }
  Origin origin{lower(url->scheme()), lower(url->encoded_host()), 0};
  if (origin.scheme != "http" && origin.scheme != "https") {
    return std::nullopt;
  }
  if (url->has_port() && url->port().empty()) {
    return std::nullopt;  // "http://a.example:"
  }
  origin.port = url->has_port() ? url->port_number() : default_port(origin.scheme);
  return origin.port == 0 ? std::nullopt : std::optional(origin);
}

// The server's own origin as the request names it: the Host header's host and port, on the
// Origin's scheme (the page's; a TLS-terminating proxy may have changed the request's).
std::optional<Origin> own_origin(std::string_view host, const std::string& scheme) {
  const auto authority = boost::urls::parse_authority(host);
  if (!authority || authority->has_userinfo() || authority->encoded_host().empty() ||
      (authority->has_port() && authority->port().empty())) {
    return std::nullopt;
  }
  Origin origin{scheme, lower(authority->encoded_host()), 0};
  origin.port = authority->has_port() ? authority->port_number() : default_port(scheme);
  return origin.port == 0 ? std::nullopt : std::optional(origin);
}

}  // namespace

bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed) {
  if (std::ranges::find(allowed, "*") != allowed.end()) {
    return true;
  }
  const auto page = parse_origin(origin);
  if (!page) {
    return false;
  }
  if (page == own_origin(host, page->scheme)) {
    return true;
  }
  return std::ranges::any_of(
      allowed, [&page](const std::string& entry) { return parse_origin(entry) == page; });
}

void check_allowed_origins(const std::vector<std::string>& allowed) {
  for (const auto& entry : allowed) {
    if (entry != "*" && !parse_origin(entry)) {
      throw std::invalid_argument("websocket_allowed_origins: \"" + entry +
                                  "\" is not an origin such as https://app.example.com (http "
                                  "or https, a host, maybe a port, nothing after it) nor \"*\"");
    }
  }
}

}  // namespace dream::servers::beast::detail

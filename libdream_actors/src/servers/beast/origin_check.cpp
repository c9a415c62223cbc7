#include "origin_check.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>

namespace dream::servers::beast::detail {

namespace {

using Origin = OriginPolicy::Origin;

bool same(const Origin& a, const Origin& b) {
  return a.https == b.https && a.port == b.port && boost::beast::iequals(a.host, b.host);
}

// A host and an optional port (a URL's or a Host header's authority) on a given scheme;
// nothing for userinfo, an empty host, or a port that is empty or 0.
template <class Authority>
std::optional<Origin> on_scheme(bool https, const Authority& authority) {
  if (authority.has_userinfo() || authority.encoded_host().empty() ||
      (authority.has_port() && authority.port_number() == 0)) {
    return std::nullopt;
  }
  const std::uint16_t port = authority.has_port() ? authority.port_number() : https ? 443 : 80;
  return Origin{https, std::string(authority.encoded_host()), port};
}

// An http or https origin, scheme://host[:port] and nothing more (a '/' after it is let
// pass, as an address bar shows one); nothing for "null" (a sandboxed or file: page) and
// anything else.
std::optional<Origin> parse_origin(std::string_view text) {
  const auto url = boost::urls::parse_absolute_uri(text);
  if (!url || !url->has_authority() || url->has_query() ||
      (!url->encoded_path().empty() && url->encoded_path() != "/")) {
    return std::nullopt;
  }
  const auto scheme = url->scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) {
    return std::nullopt;
  }
  return on_scheme(scheme == boost::urls::scheme::https, *url);
}

// The server's own origin as the request names it: the Host header's host and port, on the
// page's scheme (a TLS-terminating proxy may have changed the request's).
std::optional<Origin> own_origin(std::string_view host, bool https) {
  const auto authority = boost::urls::parse_authority(host);
  return authority ? on_scheme(https, *authority) : std::nullopt;
}

}  // namespace

OriginPolicy::OriginPolicy(const std::vector<std::string>& allowed) {
  for (const auto& entry : allowed) {
    if (entry == "*") {
      any_ = true;
    } else if (auto origin = parse_origin(entry)) {
      allowed_.push_back(std::move(*origin));
    } else {
      throw std::invalid_argument("websocket_allowed_origins: \"" + entry +
                                  "\" is not an origin such as https://app.example.com (http "
                                  "or https, a host, maybe a port, nothing after it) nor \"*\"");
    }
  }
}

bool OriginPolicy::allows(std::string_view origin, std::string_view host) const {
  if (any_) {
    return true;
  }
  const auto page = parse_origin(origin);
  if (!page) {
    return false;
  }
  if (const auto own = own_origin(host, page->https); own && same(*own, *page)) {
    return true;
  }
  return std::ranges::any_of(allowed_, [&page](const Origin& entry) { return same(entry, *page); });
}

}  // namespace dream::servers::beast::detail

#include "origin_check.hpp"

#include <algorithm>

#include <boost/url/parse.hpp>

namespace dream::servers::beast::detail {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::string_view without_trailing_slash(std::string_view s) {
  return s.ends_with('/') ? s.substr(0, s.size() - 1) : s;
}

// The Origin names the page's scheme, host and port; the Host header names host and port.
// Same origin when they agree (the scheme is left out: a TLS-terminating proxy changes it).
bool same_origin(std::string_view origin, std::string_view host) {
  const auto parsed = boost::urls::parse_absolute_uri(origin);
  if (!parsed || !parsed->has_authority() || parsed->has_userinfo() || host.empty()) {
    return false;  // "null" (a sandboxed or file: page) and anything malformed
  }
  return equal_ignoring_case(parsed->encoded_authority(), host);
}

}  // namespace

bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed) {
  if (same_origin(origin, host)) {
    return true;
  }
  return std::ranges::any_of(allowed, [origin](const std::string& entry) {
    return entry == "*" || equal_ignoring_case(without_trailing_slash(entry), origin);
  });
}

}  // namespace dream::servers::beast::detail

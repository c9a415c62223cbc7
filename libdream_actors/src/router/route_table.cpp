#include "dream/detail/route_table.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <boost/url/pct_string_view.hpp>

namespace dream::detail {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  if (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);  // "/users/" is "/users"
  }
  if (path.empty()) {
    return parts;
  }
  std::size_t start = 0;
  for (;;) {
    const auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) {
      return parts;
    }
    start = slash + 1;
  }
}

// Percent-decoded segments of a request path, or nothing if an escape is malformed.
std::optional<std::vector<std::string>> decode_path(std::string_view raw) {
  std::vector<std::string> segments;
  for (auto part : split(raw)) {
    auto checked = boost::urls::make_pct_string_view(part);
    if (!checked) {
      return std::nullopt;
    }
    segments.push_back(checked->decode());
  }
  return segments;
}

}  // namespace

std::size_t RouteTable::add(http::Method method, std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  Route route{method, {}};
  const auto parts = split(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto part = parts[i];
    if (part.starts_with("**")) {
      if (i + 1 != parts.size()) {
        throw std::invalid_argument("'**' must be the last segment: " + std::string(pattern));
      }
      route.segments.push_back({Segment::Kind::tail, std::string(part.substr(2))});
    } else if (part.starts_with(':')) {
      if (part.size() == 1) {
        throw std::invalid_argument("a ':' parameter needs a name: " + std::string(pattern));
      }
      route.segments.push_back({Segment::Kind::param, std::string(part.substr(1))});
    } else if (part == "*") {
      route.segments.push_back({Segment::Kind::any, {}});
    } else {
      route.segments.push_back({Segment::Kind::literal, std::string(part)});
    }
  }
  routes_.push_back(std::move(route));
  return routes_.size() - 1;
}

bool RouteTable::matches(const Route& route, const std::vector<std::string>& path,
                         std::vector<std::pair<std::string, std::string>>* params) {
  std::size_t i = 0;
  for (const auto& segment : route.segments) {
    if (segment.kind == Segment::Kind::tail) {
      if (params != nullptr && !segment.text.empty()) {
        std::string rest;
        for (std::size_t j = i; j < path.size(); ++j) {
          rest += (j == i ? "" : "/") + path[j];
        }
        params->emplace_back(segment.text, std::move(rest));
      }
      return true;
    }
    if (i >= path.size()) {
      return false;
    }
    if (segment.kind == Segment::Kind::literal && segment.text != path[i]) {
      return false;
    }
    if (segment.kind == Segment::Kind::param && params != nullptr) {
      params->emplace_back(segment.text, path[i]);
    }
    ++i;
  }
  return i == path.size();
}

RouteTable::Match RouteTable::match(http::Request& request) const {
  auto path = decode_path(request.path);
  if (!path) {
    return {Match::Kind::bad_path, 0, {}};
  }
  std::optional<std::size_t> found;
  std::optional<std::size_t> get_for_head;
  std::vector<http::Method> allowed;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    if (!matches(routes_[r], *path, nullptr)) {
      continue;
    }
    allowed.push_back(routes_[r].method);
    if (!found && routes_[r].method == request.method) {
      found = r;
    } else if (!get_for_head && request.method == http::Method::Head &&
               routes_[r].method == http::Method::Get) {
      get_for_head = r;
    }
  }
  if (!found) {
    found = get_for_head;
  }
  if (found) {
    request.params.clear();
    matches(routes_[*found], *path, &request.params);
    return {Match::Kind::found, *found, {}};
  }
  if (allowed.empty()) {
    return {Match::Kind::not_found, 0, {}};
  }
  if (std::find(allowed.begin(), allowed.end(), http::Method::Get) != allowed.end()) {
    allowed.push_back(http::Method::Head);
  }
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  std::string allow;
  for (auto m : allowed) {
    allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(m));
  }
  return {Match::Kind::method_not_allowed, 0, std::move(allow)};
}

}  // namespace dream::detail

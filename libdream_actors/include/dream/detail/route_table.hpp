#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dream/http/method.hpp"
#include "dream/http/request.hpp"

namespace dream::detail {

/// The untyped part of a router, compiled once: path patterns and the matching of a request
/// against them. Patterns: literal segments, `:name` (one segment), `*` (one segment, unnamed)
/// and a last `**name` (the rest of the path, possibly empty).
class RouteTable {
 public:
  /// Adds a route and returns its index. Throws std::invalid_argument for a bad pattern.
  std::size_t add(http::Method method, std::string_view pattern);

  struct Match {
    enum class Kind { found, method_not_allowed, not_found, bad_path } kind;
    std::size_t index = 0;  // with found
    std::string allow;      // with method_not_allowed: "GET, HEAD, POST"
  };
  /// Finds the route for `request`, filling request.params when found. HEAD falls back to GET.
  Match match(http::Request& request) const;

 private:
  struct Segment {
    enum class Kind { literal, param, any, tail } kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    http::Method method;
    std::vector<Segment> segments;
  };
  static bool matches(const Route& route, const std::vector<std::string>& path,
                      std::vector<std::pair<std::string, std::string>>* params);

  std::vector<Route> routes_;
};

}  // namespace dream::detail

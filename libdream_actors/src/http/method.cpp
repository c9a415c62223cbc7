#include "dream/http/method.hpp"

#include <array>
#include <utility>

namespace dream::http {
namespace {
constexpr std::array<std::pair<Method, std::string_view>, 9> names{{
    {Method::Get, "GET"},
    {Method::Head, "HEAD"},
    {Method::Post, "POST"},
    {Method::Put, "PUT"},
    {Method::Patch, "PATCH"},
    {Method::Delete, "DELETE"},
    {Method::Options, "OPTIONS"},
    {Method::Connect, "CONNECT"},
    {Method::Trace, "TRACE"},
}};
}  // namespace

std::string_view to_string(Method method) noexcept {
  for (const auto& [m, name] : names) {
    if (m == method) {
      return name;
    }
  }
  return "?";
}

std::optional<Method> parse_method(std::string_view name) noexcept {
  for (const auto& [m, n] : names) {
    if (n == name) {
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace dream::http

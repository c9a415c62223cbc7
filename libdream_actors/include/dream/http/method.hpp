#pragma once

#include <optional>
#include <string_view>

namespace dream::http {

/// An HTTP request method, named as in Dream.
enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Connect, Trace };

/// The method's name as it appears on the wire ("GET", "POST"...).
std::string_view to_string(Method method) noexcept;

/// The method named `name` (case-sensitive, as HTTP says), or nothing for another word.
std::optional<Method> parse_method(std::string_view name) noexcept;

}  // namespace dream::http

#pragma once

#include <cstdio>
#include <utility>

#include <fmt/core.h>

// The library's log lines: one line each on stderr, prefixed so they can be grepped.
namespace dream::detail {

template <class... Args>
void log_error(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "[dream] error: {}\n", fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace dream::detail

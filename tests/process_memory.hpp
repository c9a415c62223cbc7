#pragma once

#include <cstddef>
#include <fstream>
#include <stdexcept>
#include <string>

namespace test_support {

/// The resident set of this process (server and client both, when the server runs
/// in-process), from /proc/self/status.
inline std::size_t rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string word;
  while (status >> word) {
    if (word == "VmRSS:") {
      std::size_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
  }
  throw std::runtime_error("no VmRSS in /proc/self/status");
}

/// Under ASan, freed memory waits in a quarantine (256 MiB by default) before reuse, so a
/// process that frees every chunk still grows; under TSan every allocation carries shadow
/// memory and history. RSS bounds are only checked without either.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool rss_is_meaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool rss_is_meaningful = false;
#else
inline constexpr bool rss_is_meaningful = true;
#endif
#else
inline constexpr bool rss_is_meaningful = true;
#endif

}  // namespace test_support

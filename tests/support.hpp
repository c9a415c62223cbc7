#pragma once

#include <atomic>
#include <chrono>

#include "dream/process.hpp"

namespace test_support {

using namespace std::chrono_literals;

/// How long a test waits for something that should arrive: generous, so a slow sanitizer run
/// never fails on time; a test that passes never waits this long.
inline constexpr std::chrono::milliseconds patience = 20s;

/// How long a test listens to be sure that nothing more arrives.
inline constexpr std::chrono::milliseconds quiet = 200ms;

/// A payload that counts how often it is copied, to prove payloads travel without copies.
struct Counted {
  explicit Counted(int s = 0) : seq(s) {}
  Counted(const Counted& other) : seq(other.seq) { copies.fetch_add(1); }
  Counted(Counted&& other) noexcept = default;
  Counted& operator=(const Counted& other) {
    seq = other.seq;
    copies.fetch_add(1);
    return *this;
  }
  Counted& operator=(Counted&&) noexcept = default;

  int seq;
  static inline std::atomic<int> copies{0};
};

}  // namespace test_support

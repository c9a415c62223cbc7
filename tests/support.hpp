#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include "dream/process.hpp"

namespace test_support {

using namespace std::chrono_literals;

/// How long a test waits for something that should arrive: generous, so a slow sanitizer run
/// never fails on time; a test that passes never waits this long.
inline constexpr std::chrono::milliseconds patience = 20s;

/// How long a test listens to be sure that nothing more arrives.
inline constexpr std::chrono::milliseconds quiet = 200ms;

/// Polls `done`, which the server's threads make true, until it holds or patience runs out:
/// for values that change with nothing to wait on (a counter, a process count).
template <class Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    // A poll interval, not a wait standing in for an event: only `done` ends the loop.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

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

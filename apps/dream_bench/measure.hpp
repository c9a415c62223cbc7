#pragma once

#include <sys/types.h>
#include <cstdint>
#include <string>
#include <vector>

// Clocks, percentiles and the one-line JSON summary every run prints.
namespace dream_bench {

/// Nanoseconds on the steady clock (one process sends and receives, so stamps compare).
std::int64_t now_ns();

/// p50, p99 and max of `samples` (nanoseconds), in microseconds; zeros when empty.
struct Latency {
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};
Latency latency_of(std::vector<std::int64_t>& samples);

/// This process's CPU time (user + system) as a share of the wall time since construction:
/// near 1.0 means the load generator, not the server, may be what limits the figure.
class CpuMeter {
 public:
  CpuMeter();
  double share() const;

 private:
  std::int64_t wall_start_ns_;
  std::int64_t cpu_start_ns_;
};

/// The resident set of process `pid` in KiB (VmRSS), or -1 if it cannot be read.
long rss_kib(pid_t pid);

/// Builds {"key":value,...} in insertion order, printed as one line on stdout.
class JsonLine {
 public:
  JsonLine& add(const std::string& key, const std::string& value);
  JsonLine& add(const std::string& key, const char* value) { return add(key, std::string(value)); }
  JsonLine& add(const std::string& key, double value);
  JsonLine& add(const std::string& key, std::int64_t value);
  JsonLine& add(const std::string& key, std::uint64_t value);
  JsonLine& add(const std::string& key, bool value);
  void print() const;

 private:
  std::string body_;
};

}  // namespace dream_bench

#include "measure.hpp"

#include <fmt/core.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

namespace dream_bench {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Latency latency_of(std::vector<std::int64_t>& samples) {
  if (samples.empty()) {
    return {};
  }
  auto at = [&samples](double q) {
    const auto k = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1));
    std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(k),
                     samples.end());
    return static_cast<double>(samples[k]) / 1000.0;
  };
  Latency latency;
  latency.p50_us = at(0.50);
  latency.p99_us = at(0.99);
  latency.max_us = static_cast<double>(*std::max_element(samples.begin(), samples.end())) / 1000.0;
  return latency;
}

namespace {
std::int64_t cpu_ns() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ns = [](const timeval& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_usec * 1000;
  };
  return ns(usage.ru_utime) + ns(usage.ru_stime);
}
}  // namespace

CpuMeter::CpuMeter() : wall_start_ns_(now_ns()), cpu_start_ns_(cpu_ns()) {}

double CpuMeter::share() const {
  const auto wall = now_ns() - wall_start_ns_;
  return wall <= 0 ? 0.0
                   : static_cast<double>(cpu_ns() - cpu_start_ns_) / static_cast<double>(wall);
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

JsonLine& JsonLine::add(const std::string& key, const std::string& value) {
  body_ += fmt::format("{}\"{}\":\"{}\"", body_.empty() ? "" : ",", key, value);
  return *this;
}
JsonLine& JsonLine::add(const std::string& key, double value) {
  body_ += fmt::format("{}\"{}\":{:.3f}", body_.empty() ? "" : ",", key, value);
  return *this;
}
JsonLine& JsonLine::add(const std::string& key, std::int64_t value) {
  body_ += fmt::format("{}\"{}\":{}", body_.empty() ? "" : ",", key, value);
  return *this;
}
JsonLine& JsonLine::add(const std::string& key, std::uint64_t value) {
  body_ += fmt::format("{}\"{}\":{}", body_.empty() ? "" : ",", key, value);
  return *this;
}
JsonLine& JsonLine::add(const std::string& key, bool value) {
  body_ += fmt::format("{}\"{}\":{}", body_.empty() ? "" : ",", key, value);
  return *this;
}

void JsonLine::print() const {
  fmt::print("{{{}}}\n", body_);
  std::fflush(stdout);
}

}  // namespace dream_bench

#include <fmt/core.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "measure.hpp"
#include "scenarios.hpp"
#include "wire.hpp"

namespace dream_bench {

namespace net = boost::asio;

int run_conns(const Options& options, const Target& target) {
  const auto n = options.number("connections");
  const auto pid = static_cast<pid_t>(options.number("server-pid"));
  const auto timeout = std::chrono::seconds(options.number("timeout", 120));

  const auto rss_before = rss_kib(pid);
  if (rss_before < 0) {
    fmt::print(stderr, "dream_bench conns: cannot read /proc/{}/status\n", pid);
    return 1;
  }
  net::io_context io(1);
  std::vector<bool> synced(n);
  std::uint64_t synced_count = 0;
  std::int64_t connect_start_ns = now_ns(), connect_end_ns = 0;
  CpuMeter cpu;
  double cpu_share = 0;
  long rss_after = -1;
  std::string failure;
  std::vector<std::shared_ptr<ChatClient>> clients;  // n idle members, then the syncer
  net::steady_timer deadline(io), ticker(io);

  auto handler_of = [&](std::size_t i) -> ChatClient::TextHandler {
    if (i == n) {
      return [](std::string_view) {};
    }
    return [&, i](std::string_view frame) {
      const auto event = parse_event(frame);
      if (event.user != "syncer" || event.text != "sync" || synced[i]) {
        return;
      }
      synced[i] = true;
      if (++synced_count == n) {
        // Every connection is subscribed and has had a message: the server is at rest.
        ticker.cancel();
        rss_after = rss_kib(pid);
        io.stop();
      }
    };
  };

  // The upgrade completes before the server's process has subscribed; a broadcast that every
  // connection has received proves they all have.
  auto sync_tick = [&] {
    if (synced_count == n) {
      return false;
    }
    if (clients[n]->pending() == 0) {
      clients[n]->send("sync");
    }
    return true;
  };

  stop_after(io, deadline, timeout, failure);
  connect_all(
      io, target, n + 1,
      [n](std::size_t i) { return quiet_member(i == n ? "syncer" : "idle-" + std::to_string(i)); },
      handler_of,
      [&](std::vector<std::shared_ptr<ChatClient>> all, std::string error) {
        if (!error.empty()) {
          failure = error;
          return io.stop();
        }
        connect_end_ns = now_ns();
        cpu_share = cpu.share();
        clients = std::move(all);
        if (n == 0) {
          rss_after = rss_kib(pid);
          return io.stop();
        }
        repeat(ticker, std::chrono::milliseconds(50), sync_tick);
      });
  io.run();
  for (auto& client : clients) {
    client->drop();
  }

  const auto seconds =
      connect_end_ns == 0 ? 0.0 : static_cast<double>(connect_end_ns - connect_start_ns) / 1e9;
  const auto ok = failure.empty() && rss_after >= 0;
  JsonLine()
      .add("scenario", "conns")
      .add("n", n)
      .add("rss_before_kib", static_cast<std::int64_t>(rss_before))
      .add("rss_after_kib", static_cast<std::int64_t>(rss_after))
      .add("bytes_per_conn", ok && n > 0 ? static_cast<double>(rss_after - rss_before) * 1024.0 /
                                               static_cast<double>(n)
                                         : 0.0)
      .add("upgrades_per_s", seconds > 0 ? static_cast<double>(n + 1) / seconds : 0.0)
      .add("bench_cpu", cpu_share)
      .add("bench_bound", cpu_share >= 0.9)
      .add("error", failure)
      .print();
  if (!failure.empty()) {
    fmt::print(stderr, "dream_bench conns: {}\n", failure);
  }
  return ok ? 0 : 1;
}

}  // namespace dream_bench

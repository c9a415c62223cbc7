#include <fmt/core.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>

#include "measure.hpp"
#include "scenarios.hpp"
#include "wire.hpp"

namespace dream_bench {

namespace net = boost::asio;

namespace {

struct EchoClient {
  std::string name;
  std::uint64_t next = 0;  // the round trip in flight
  bool warm = false;
};

}  // namespace

int run_echo(const Options& options, const Target& target) {
  const auto n = options.number("clients");
  const auto k = options.number("round-trips");
  const auto size = options.number("size", 64);
  const auto timeout = std::chrono::seconds(options.number("timeout", 120));

  net::io_context io(1);
  std::vector<EchoClient> echoes(n);
  for (std::size_t i = 0; i < n; ++i) {
    echoes[i].name = "echo-" + std::to_string(i);
  }
  std::vector<std::int64_t> latencies;
  latencies.reserve(n * k);
  std::uint64_t warmed = 0, finished = 0, unexpected = 0;
  std::int64_t start_ns = 0, end_ns = 0;
  std::optional<CpuMeter> cpu;
  double cpu_share = 0;
  std::string failure;
  std::vector<std::shared_ptr<ChatClient>> clients;
  net::steady_timer deadline(io), ticker(io);

  auto start = [&] {
    ticker.cancel();
    cpu.emplace();
    start_ns = now_ns();
    if (k == 0) {
      return io.stop();
    }
    for (std::size_t i = 0; i < n; ++i) {
      clients[i]->send(make_text(Stamp{0, now_ns()}, size));
    }
  };

  auto handler_of = [&](std::size_t i) -> ChatClient::TextHandler {
    return [&, i](std::string_view frame) {
      const auto event = parse_event(frame);
      auto& echo = echoes[i];
      if (event.type != "message" || event.user != echo.name) {
        return;  // the others' round trips pass by every client
      }
      if (event.text == "warm") {
        if (!echo.warm) {
          echo.warm = true;
          if (++warmed == n) {
            start();
          }
        }
        return;
      }
      const auto stamp = parse_stamp(event.text);
      if (!stamp || stamp->seq != echo.next) {
        ++unexpected;  // lost, repeated or reordered
        return;
      }
      const auto now = now_ns();
      latencies.push_back(now - stamp->sent_ns);
      if (++echo.next < k) {
        clients[i]->send(make_text(Stamp{echo.next, now_ns()}, size));
      } else if (++finished == n) {
        end_ns = now;
        cpu_share = cpu->share();
        io.stop();
      }
    };
  };

  // Until its own "warm" comes back a client's subscription may not be active yet.
  auto warm_tick = [&] {
    if (warmed == n) {
      return false;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!echoes[i].warm && clients[i]->pending() == 0) {
        clients[i]->send("warm");
      }
    }
    return true;
  };

  stop_after(io, deadline, timeout, failure);
  connect_all(
      io, target, n, [&](std::size_t i) { return quiet_member(echoes[i].name); }, handler_of,
      [&](std::vector<std::shared_ptr<ChatClient>> all, std::string error) {
        if (!error.empty()) {
          failure = error;
          return io.stop();
        }
        clients = std::move(all);
        repeat(ticker, std::chrono::milliseconds(20), warm_tick);
      });
  io.run();
  if (cpu && cpu_share == 0) {
    cpu_share = cpu->share();
  }
  if (end_ns == 0) {
    end_ns = now_ns();
  }
  for (auto& client : clients) {
    client->drop();
  }

  const auto done = static_cast<std::uint64_t>(latencies.size());
  const auto seconds = start_ns == 0 ? 0.0 : static_cast<double>(end_ns - start_ns) / 1e9;
  const auto latency = latency_of(latencies);
  JsonLine()
      .add("scenario", "echo")
      .add("n", n)
      .add("size", size)
      .add("round_trips", done)
      .add("seconds", seconds)
      .add("round_trips_per_s", seconds > 0 ? static_cast<double>(done) / seconds : 0.0)
      .add("p50_us", latency.p50_us)
      .add("p99_us", latency.p99_us)
      .add("max_us", latency.max_us)
      .add("lost", n * k - done)
      .add("unexpected", unexpected)
      .add("bench_cpu", cpu_share)
      .add("bench_bound", cpu_share >= 0.9)
      .add("error", failure)
      .print();
  if (!failure.empty()) {
    fmt::print(stderr, "dream_bench echo: {}\n", failure);
  }
  return failure.empty() && done == n * k && unexpected == 0 ? 0 : 1;
}

}  // namespace dream_bench

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

struct Subscriber {
  std::vector<bool> seen;  // by sequence number
  std::uint64_t received = 0;
  std::int64_t highest = -1;
  bool warm = false;
};

}  // namespace

int run_fanout(const Options& options, const Target& target) {
  const auto n = options.number("subscribers");
  const auto m = options.number("messages");
  const auto rate = options.number("rate", 0);  // texts per second; 0: as fast as written
  const auto size = options.number("size", 64);
  const auto timeout = std::chrono::seconds(options.number("timeout", 120));

  net::io_context io(1);
  std::vector<Subscriber> subscribers(n, Subscriber{std::vector<bool>(m)});
  std::vector<std::int64_t> latencies;
  latencies.reserve(n * m);
  std::uint64_t warmed = 0, finished = 0, duplicates = 0, out_of_order = 0, sent = 0;
  std::int64_t first_send_ns = 0, last_delivery_ns = 0;
  std::optional<CpuMeter> cpu;
  double cpu_share = 0;
  std::string failure;
  std::vector<std::shared_ptr<ChatClient>> clients;  // the subscribers, then the publisher
  net::steady_timer deadline(io), ticker(io);
  std::function<void()> start_measuring;

  auto handler_of = [&](std::size_t i) -> ChatClient::TextHandler {
    if (i == n) {
      return [](std::string_view) {};  // the publisher's own broadcasts are not counted
    }
    return [&, i](std::string_view frame) {
      const auto event = parse_event(frame);
      if (event.type != "message" || event.user != "pub") {
        return;
      }
      auto& sub = subscribers[i];
      if (event.text == "warm") {
        if (!sub.warm) {
          sub.warm = true;
          if (++warmed == n) {
            start_measuring();
          }
        }
        return;
      }
      const auto stamp = parse_stamp(event.text);
      if (!stamp || stamp->seq >= m) {
        return;
      }
      const auto now = now_ns();
      if (sub.seen[stamp->seq]) {
        ++duplicates;
        return;
      }
      sub.seen[stamp->seq] = true;
      if (static_cast<std::int64_t>(stamp->seq) < sub.highest) {
        ++out_of_order;
      }
      sub.highest = std::max(sub.highest, static_cast<std::int64_t>(stamp->seq));
      latencies.push_back(now - stamp->sent_ns);
      last_delivery_ns = now;
      if (++sub.received == m && ++finished == n) {
        cpu_share = cpu->share();
        io.stop();
      }
    };
  };

  auto send_next = [&] {
    auto& publisher = *clients[n];
    publisher.send(make_text(Stamp{sent++, now_ns()}, size));
  };

  // Warm-up: the publisher repeats "warm" until every subscriber has seen one, which proves
  // each subscription is active before anything is measured.
  auto warm_tick = [&] {
    if (warmed == n) {
      return false;
    }
    if (clients[n]->pending() == 0) {
      clients[n]->send("warm");
    }
    return true;
  };

  std::function<void()> rate_tick = [&] {
    const auto due = std::min<std::uint64_t>(
        m,
        static_cast<std::uint64_t>((now_ns() - first_send_ns) * static_cast<double>(rate) / 1e9) +
            1);
    while (sent < due) {
      send_next();
    }
    if (sent < m) {
      ticker.expires_after(std::chrono::microseconds(200));
      ticker.async_wait([&](boost::system::error_code ec) {
        if (!ec)
          rate_tick();
      });
    }
  };

  start_measuring = [&] {
    ticker.cancel();
    cpu.emplace();
    first_send_ns = now_ns();
    if (m == 0) {
      return io.stop();
    }
    if (rate == 0) {
      // Full speed: the next text is stamped and sent as soon as the socket took the last.
      clients[n]->on_written([&] {
        if (sent < m && clients[n]->pending() == 0)
          send_next();
      });
      send_next();
    } else {
      rate_tick();
    }
  };

  stop_after(io, deadline, timeout, failure);
  connect_all(
      io, target, n + 1,
      [n](std::size_t i) { return quiet_member(i == n ? "pub" : "sub-" + std::to_string(i)); },
      handler_of,
      [&](std::vector<std::shared_ptr<ChatClient>> all, std::string error) {
        if (!error.empty()) {
          failure = error;
          return io.stop();
        }
        clients = std::move(all);
        repeat(ticker, std::chrono::milliseconds(10), warm_tick);
      });
  io.run();
  if (cpu && cpu_share == 0) {
    cpu_share = cpu->share();
  }
  for (auto& client : clients) {
    client->drop();
  }

  std::uint64_t delivered = 0;
  for (const auto& sub : subscribers) {
    delivered += sub.received;
  }
  const auto lost = n * m - delivered;
  const auto seconds = static_cast<double>(last_delivery_ns - first_send_ns) / 1e9;
  const auto latency = latency_of(latencies);
  JsonLine()
      .add("scenario", "fanout")
      .add("n", n)
      .add("m", m)
      .add("rate", rate)
      .add("size", size)
      .add("deliveries", delivered)
      .add("seconds", seconds)
      .add("deliveries_per_s", seconds > 0 ? static_cast<double>(delivered) / seconds : 0.0)
      .add("p50_us", latency.p50_us)
      .add("p99_us", latency.p99_us)
      .add("max_us", latency.max_us)
      .add("lost", lost)
      .add("duplicates", duplicates)
      .add("out_of_order", out_of_order)
      .add("bench_cpu", cpu_share)
      .add("bench_bound", cpu_share >= 0.9)
      .add("error", failure)
      .print();
  if (!failure.empty()) {
    fmt::print(stderr, "dream_bench fanout: {}\n", failure);
  }
  return failure.empty() && lost == 0 && duplicates == 0 && out_of_order == 0 ? 0 : 1;
}

}  // namespace dream_bench

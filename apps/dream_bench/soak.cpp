// The soak (issue 7, item 7): --duration seconds of mixed traffic from a pool of virtual
// clients (soak_session.hpp), then every session ends and the totals are printed. Whether the
// server held up (memory, open connections, still answering) is bench/soak's to watch.
#include <fmt/core.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <random>

#include "measure.hpp"
#include "scenarios.hpp"
#include "soak_session.hpp"

namespace dream_bench {

namespace net = boost::asio;
using soak::Kind;

namespace {

// The mix of the clients that come and go (the steady chatters stay): chats that close
// cleanly, drops of both kinds, slow readers.
Kind pick_kind(std::mt19937& random) {
  static std::discrete_distribution<int> mix({45, 15, 15, 25});
  constexpr Kind kinds[] = {Kind::chat, Kind::drop_fin, Kind::drop_rst, Kind::slow_reader};
  return kinds[mix(random)];
}

}  // namespace

int run_soak(const Options& options, const Target& target) {
  const auto duration = std::chrono::seconds(options.number("duration"));
  const auto clients = options.number("clients", 100);
  const auto steady = std::min(options.number("steady", 10), clients);
  const auto timeout = std::chrono::seconds(options.number("timeout", duration.count() + 120));
  soak::Settings settings;
  settings.server = target.server;
  settings.size = options.number("size", 512);
  settings.interval = std::chrono::milliseconds(options.number("interval", 50));
  settings.slow_hold = std::chrono::seconds(options.number("slow-hold", 60));
  std::mt19937 random(static_cast<std::mt19937::result_type>(options.number("seed", 1)));

  net::io_context io(1);
  soak::Totals totals;
  std::map<std::uint64_t, std::shared_ptr<soak::Session>> active;
  std::uint64_t started = 0;
  bool stopping = false;
  std::string failure;
  const auto start_ns = now_ns();
  net::steady_timer deadline(io), end_of_run(io), ticker(io);

  // Slot `slot` runs one session after another until the run is over; the first `steady`
  // slots hold steady chatters (one for the whole run, unless it fails).
  std::function<void(std::size_t)> launch = [&](std::size_t slot) {
    if (stopping) {
      if (active.empty()) {
        io.stop();
      }
      return;
    }
    const auto kind = slot < steady ? Kind::steady : pick_kind(random);
    const auto id = started++;
    auto name = fmt::format("soak-{}-{}", soak::name_of(kind), id);
    if (!target.sources.empty()) {
      settings.source = target.sources[id % target.sources.size()];
    }
    auto session = std::make_shared<soak::Session>(
        io, settings, totals, random, kind, std::move(name), [&, id, slot] {
          const bool failed = active.at(id)->failed();
          active.erase(id);
          if (!failed) {
            return launch(slot);
          }
          // After an error the slot waits a second: a server that is gone must not turn the
          // soak into a loop of refused connections.
          auto pause = std::make_shared<net::steady_timer>(io, std::chrono::seconds(1));
          pause->async_wait([&, slot, pause](boost::system::error_code) { launch(slot); });
        });
    active.emplace(id, session);
    session->start();
  };

  stop_after(io, deadline, timeout, failure);
  end_of_run.expires_after(duration);
  end_of_run.async_wait([&](boost::system::error_code ec) {
    if (ec) {
      return;
    }
    stopping = true;
    const auto ending = active;  // sessions leave `active` as they finish
    for (const auto& [id, session] : ending) {
      session->stop();
    }
    if (active.empty()) {
      io.stop();
    }
  });
  // A line on stderr every 10 s, so a long run shows it is alive.
  repeat(ticker, std::chrono::seconds(10), [&] {
    fmt::print(stderr,
               "dream_bench soak: {:.0f} s, {} open, {} opened, {} texts sent, {} back, "
               "{} errors\n",
               static_cast<double>(now_ns() - start_ns) / 1e9, active.size(), totals.opened,
               totals.sent, totals.echoed, totals.errors);
    return !stopping;
  });
  for (std::size_t slot = 0; slot < clients; ++slot) {
    launch(slot);
  }
  io.run();
  for (auto& [id, session] : active) {
    (void)session;
    totals.error(fmt::format("session {} still running at the end", id));
  }

  JsonLine()
      .add("scenario", "soak")
      .add("seconds", static_cast<double>(now_ns() - start_ns) / 1e9)
      .add("clients", clients)
      .add("steady", steady)
      .add("sessions", started)
      .add("connections_opened", totals.opened)
      .add("texts_sent", totals.sent)
      .add("texts_back", totals.echoed)
      .add("frames_received", totals.frames)
      .add("clean_closes", totals.clean_closes)
      .add("drops_fin", totals.drops_fin)
      .add("drops_rst", totals.drops_rst)
      .add("drops_mid_frame", totals.drops_mid_frame)
      .add("slow_readers", totals.slow_readers)
      .add("slow_closed_by_server", totals.slow_closed_by_server)
      .add("errors", totals.errors)
      .add("error", failure.empty() ? totals.first_error : failure)
      .print();
  if (!failure.empty()) {
    fmt::print(stderr, "dream_bench soak: {}\n", failure);
  }
  return failure.empty() && totals.errors == 0 ? 0 : 1;
}

}  // namespace dream_bench

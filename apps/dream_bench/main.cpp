// dream_bench: the load generator of docs/benchmarks.md. Speaks the chat protocol to any chat
// server (ours or the Node peer) over loopback and prints one JSON line per run.
#include <fmt/core.h>

#include <boost/asio/ip/address.hpp>
#include <exception>
#include <string_view>

#include "scenarios.hpp"

namespace {

constexpr std::string_view usage = R"(usage: dream_bench SCENARIO --port P [options]
  fanout --subscribers N --messages M [--rate R] [--size 64]
         N quiet subscribers, one publisher sends M stamped texts (at R/s, or full speed)
  echo   --clients N --round-trips K [--size 64]
         N clients, each sending and waiting for its own broadcast, K times
  conns  --connections N --server-pid PID
         N idle connections; the server's resident memory per connection, upgrades/s
  soak   --duration S [--clients 100] [--steady 10] [--size 512] [--interval 50]
         [--slow-hold 60] [--seed 1]
         S seconds of mixed traffic from a pool of clients: chats closed cleanly, drops
         (FIN, RST, mid-frame), slow readers (silent up to --slow-hold s), steady chatters
         (a text every --interval ms); --timeout defaults to S + 120
common:  --host 127.0.0.1  --sources 127.0.0.1,127.0.0.2 (addresses to connect from)
         --in-flight 128 (upgrades at once)  --timeout 120 (seconds, then it gives up)
Prints one JSON line; exits 0, 1 when anything was lost, reordered or late, 2 on bad usage.
)";

}  // namespace

int main(int argc, char** argv) {
  try {
    const dream_bench::Options options(argc, argv);
    if (options.scenario() == "--help" || options.scenario() == "help") {
      fmt::print("{}", usage);
      return 0;
    }
    dream_bench::Target target;
    target.server = {boost::asio::ip::make_address(options.text("host", "127.0.0.1")),
                     static_cast<unsigned short>(options.number("port"))};
    target.sources = options.list("sources");
    target.in_flight = std::max<std::uint64_t>(options.number("in-flight", 128), 1);
    int (*run)(const dream_bench::Options&, const dream_bench::Target&) = nullptr;
    if (options.scenario() == "fanout") {
      run = dream_bench::run_fanout;
    } else if (options.scenario() == "echo") {
      run = dream_bench::run_echo;
    } else if (options.scenario() == "conns") {
      run = dream_bench::run_conns;
    } else if (options.scenario() == "soak") {
      run = dream_bench::run_soak;
    } else {
      throw std::invalid_argument("unknown scenario '" + options.scenario() + "'");
    }
    // Required flags are read before anything connects, so a typo costs no run.
    (void)options.number("timeout", 0);
    (void)options.number("size", 0);
    if (options.scenario() == "fanout") {
      (void)options.number("subscribers"), (void)options.number("messages"),
          (void)options.number("rate", 0);
    } else if (options.scenario() == "echo") {
      (void)options.number("clients"), (void)options.number("round-trips");
    } else if (options.scenario() == "conns") {
      (void)options.number("connections"), (void)options.number("server-pid");
    } else {
      (void)options.number("duration"), (void)options.number("clients", 0),
          (void)options.number("steady", 0), (void)options.number("interval", 0),
          (void)options.number("slow-hold", 0), (void)options.number("seed", 0);
    }
    if (const auto unknown = options.unused(); !unknown.empty()) {
      throw std::invalid_argument("unknown option " + unknown.front());
    }
    return run(options, target);
  } catch (const std::exception& e) {
    fmt::print(stderr, "dream_bench: {}\n{}", e.what(), usage);
    return 2;
  }
}

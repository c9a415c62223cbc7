#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace dream::cucumber {

/// Where and how the step runner serves cucumber's wire protocol.
struct WireServerOptions {
  std::string host = "127.0.0.1";  // loopback: the steps drive real servers; keep them local
  std::uint16_t port = 3902;       // cucumber-cpp's default; 0 picks a free port
  /// How long to wait for cucumber to connect, and for its next message once connected:
  /// a run never hangs on a cucumber that died.
  std::chrono::seconds idle_timeout{120};
  bool verbose = false;  // log every message in and out on stderr
};

/// Serves one cucumber connection with every step definition and hook linked into this
/// program; returns once cucumber disconnects. 0 when the run ended cleanly, 1 when cucumber
/// vanished mid-scenario, broke the protocol or timed out, 2 when a step regex or hook tag
/// expression does not compile (nothing is served then). Prints "listening on HOST:PORT" on
/// `out` once it accepts connections; log lines go to stderr.
int serve_wire_protocol(const WireServerOptions& options, std::ostream& out);

/// The step runner's main: parses --host, --port, --idle-timeout, --verbose, --help, then
/// serve_wire_protocol. dream::cucumber_main calls it from main().
int run_step_runner(int argc, char** argv);

}  // namespace dream::cucumber

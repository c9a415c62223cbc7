#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "dream/cucumber/wire_server.hpp"

namespace dream::cucumber {

namespace {

constexpr std::string_view usage = R"(usage: STEP_RUNNER [options]
Serves cucumber's wire protocol with the step definitions linked into this program, for one
cucumber run, then exits (0: clean run; 1: cucumber vanished, timed out or broke the
protocol; 2: a step regex or hook tag expression does not compile, or bad options).
  --host ADDR          address to listen on (default 127.0.0.1)
  --port N             port to listen on (default 3902; 0 picks a free one)
  --idle-timeout SECS  how long to wait for cucumber to connect, or for its next message
                       (default 120)
  --verbose            log every wire message on stderr
  --help               this text
It prints "listening on ADDR:PORT" once it accepts connections; point cucumber.wire there.
)";

bool parse_number(const char* text, unsigned long max, unsigned long& out) {
  char* end = nullptr;
  out = std::strtoul(text, &end, 10);
  return end != text && *end == '\0' && out <= max;
}

}  // namespace

int run_step_runner(int argc, char** argv) {
  WireServerOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help") {
      std::cout << usage;
      return 0;
    }
    if (flag == "--verbose") {
      options.verbose = true;
      continue;
    }
    unsigned long n = 0;
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (value != nullptr && flag == "--host") {
      options.host = value;
    } else if (value != nullptr && flag == "--port" && parse_number(value, 65535, n)) {
      options.port = static_cast<std::uint16_t>(n);
    } else if (value != nullptr && flag == "--idle-timeout" && parse_number(value, 86400, n) &&
               n > 0) {
      options.idle_timeout = std::chrono::seconds(n);
    } else {
      std::cerr << "step runner: bad option " << flag << (value ? std::string(" ") + value : "")
                << "\n"
                << usage;
      return 2;
    }
    ++i;
  }
  return serve_wire_protocol(options, std::cout);
}

}  // namespace dream::cucumber

// websocket_chat: Dream's WebSocket chat example, in C++. Serves the chat page and its
// assets, and a WebSocket at /chat where every connection is a process.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/core.h>
#include <dream/runtime.hpp>
#include <dream/servers/beast/server.hpp>

#include "router.hpp"
#include "services.hpp"

namespace {

struct Options {
  std::uint16_t port = 8080;
  // Loopback by default: the demo is for this machine's browser, and nothing is exposed to
  // the network by accident. --host 0.0.0.0 serves other machines.
  std::string host = "127.0.0.1";
  std::size_t threads = 1;
  std::size_t actor_threads = 0;  // 0: CAF's default, one per core
  std::filesystem::path assets;
  std::optional<std::string> token;
  std::vector<std::string> allowed_origins;  // besides the page's own
  std::size_t max_connections = dream::servers::beast::ServerConfig{}.max_connections;
  std::string tls_cert;  // both set: https and wss
  std::string tls_key;
};

constexpr std::string_view usage = R"(usage: websocket_chat [options]
  --port N        port to listen on (default 8080; 0 picks a free one)
  --host ADDR     address to listen on (default 127.0.0.1, this machine only;
                  0.0.0.0 to let other machines in)
  --threads N     I/O threads (default 1)
  --actor-threads N  threads running the connection processes (default 0: one per core)
  --assets DIR    directory of chat.js and chat.css (default: the assets beside this program)
  --token SECRET  require ?token=SECRET (or "Authorization: Bearer SECRET") to join
  --allow-origin URL  let pages from URL (e.g. https://chat.example.com) join too; repeatable,
                  "*" lets any site's page in (default: only the chat's own page)
  --max-connections N  connections open at once; one more gets 503 (default 10000)
  --tls-cert PATH  serve https and wss with this PEM certificate (chain) file; needs --tls-key
  --tls-key PATH  the PEM private key file of --tls-cert
  --help          this text
The server also answers GET /healthz (200 "ok") and GET /metrics (Prometheus text).
)";

[[noreturn]] void fail(const std::string& message) {
  fmt::print(stderr, "websocket_chat: {}\n{}", message, usage);
  std::exit(2);
}

unsigned long number(std::string_view flag, const char* value, unsigned long max) {
  char* end = nullptr;
  const auto n = std::strtoul(value, &end, 10);
  if (end == value || *end != '\0' || n > max) {
    fail(fmt::format("{} needs a number from 0 to {}, not '{}'", flag, max, value));
  }
  return n;
}

Options parse(int argc, char** argv) {
  Options options;
  options.assets = std::filesystem::canonical("/proc/self/exe").parent_path() / "assets";
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help") {
      fmt::print("{}", usage);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      fail(fmt::format("{} needs a value", flag));
    }
    const char* value = argv[++i];
    if (flag == "--port") {
      options.port = static_cast<std::uint16_t>(number(flag, value, 65535));
    } else if (flag == "--host") {
      options.host = value;
    } else if (flag == "--threads") {
      options.threads = std::max<unsigned long>(number(flag, value, 256), 1);
    } else if (flag == "--actor-threads") {
      options.actor_threads = number(flag, value, 256);
    } else if (flag == "--assets") {
      options.assets = value;
    } else if (flag == "--token") {
      if (*value == '\0') {
        fail("--token needs a non-empty secret");
      }
      options.token = value;
    } else if (flag == "--allow-origin") {
      options.allowed_origins.emplace_back(value);
    } else if (flag == "--max-connections") {
      options.max_connections = std::max<unsigned long>(number(flag, value, 1000000), 1);
    } else if (flag == "--tls-cert" || flag == "--tls-key") {
      if (!std::filesystem::is_regular_file(value)) {
        fail(fmt::format("{}: no file '{}'", flag, value));
      }
      (flag == "--tls-cert" ? options.tls_cert : options.tls_key) = value;
    } else {
      fail(fmt::format("unknown option {}", flag));
    }
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    fail("--tls-cert and --tls-key go together");
  }
  if (!std::filesystem::is_regular_file(options.assets / "scripts" / "chat.js")) {
    fail(fmt::format("no scripts/chat.js under the assets directory {}", options.assets.string()));
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // log lines appear as they happen, even piped
  const Options options = parse(argc, argv);
  dream::Runtime runtime(dream::RuntimeConfig{options.actor_threads});
  auto services = chat::initialize(runtime, options.assets, options.token);

  dream::servers::beast::ServerConfig config;
  config.host = options.host;
  config.io_threads = options.threads;
  config.websocket_allowed_origins = options.allowed_origins;
  config.max_connections = options.max_connections;
  config.health_route = "/healthz";
  config.metrics_route = "/metrics";
  config.tls_certificate_file = options.tls_cert;
  config.tls_private_key_file = options.tls_key;
  dream::servers::beast::TerminationSignals signals;  // caught from now on: none is missed
  try {
    auto server =
        dream::servers::beast::create().services(services).runtime(runtime).config(config).router(
            chat::create_router());
    auto handle = server.start(options.port);
    auto shown_host =
        options.host == "0.0.0.0" || options.host == "::" ? std::string("localhost") : options.host;
    if (shown_host.find(':') != std::string::npos) {
      shown_host = "[" + shown_host + "]";  // an IPv6 address in a URL
    }
    const char* scheme = options.tls_cert.empty() ? "http" : "https";
    fmt::print("Dream WebSocket Chat: open {}://{}:{}/ in your browser{}\n", scheme, shown_host,
               handle.port(), options.token ? " (add ?token=… to the URL)" : "");
    fmt::print("Live numbers: {}://{}:{}/dashboard\n", scheme, shown_host, handle.port());
    fmt::print("Press Ctrl-C to stop.\n");
    std::fflush(stdout);
    signals.wait();
    fmt::print("[chat] stopping: closing every connection with 1001 (going away)\n");
    // Graceful: messages already read are relayed, queues flushed, then 1001; it returns once
    // every connection's on_close (its disconnect line) has run.
    handle.stop();
  } catch (const std::system_error& e) {
    fmt::print(stderr, "websocket_chat: {}\n", e.what());
    return 1;
  } catch (const std::invalid_argument& e) {
    // A flag's value the server cannot use (--allow-origin, a TLS file that is not a
    // certificate or key): a usage error, as in parse().
    fmt::print(stderr, "websocket_chat: {}\n", e.what());
    return 2;
  }
  runtime.shutdown();  // every on_close has run: the left notices are out
  fmt::print("[chat] stopped\n");
  return 0;
}

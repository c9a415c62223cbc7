#include "dream/cucumber/wire_server.hpp"

#include <iostream>
#include <optional>
#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/serialize.hpp>

#include "hook_registry.hpp"
#include "step_registry.hpp"
#include "wire_engine.hpp"

namespace dream::cucumber {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A doc string or table can be large, but a line past this is not cucumber talking.
constexpr std::size_t max_message_bytes = 16 * 1024 * 1024;

void log(const std::string& line) {
  std::cerr << "[dream-cucumber] " << line << std::endl;
}

// Runs `io` until the operation started before the call completes or `timeout` passes; on
// timeout the socket's operations are cancelled. True if it completed.
template <class Closeable>
bool complete_within(net::io_context& io, Closeable& object, std::chrono::seconds timeout,
                     const bool& done) {
  io.restart();
  io.run_for(timeout);
  if (done) {
    return true;
  }
  object.cancel();
  io.restart();
  io.run();  // lets the cancelled handler run
  return false;
}

}  // namespace

int serve_wire_protocol(const WireServerOptions& options, std::ostream& out) {
  std::vector<std::string> errors = internal::StepRegistry::instance().errors();
  const auto& hook_errors = internal::HookRegistry::instance().errors();
  errors.insert(errors.end(), hook_errors.begin(), hook_errors.end());
  if (!errors.empty()) {
    for (const auto& error : errors) {
      log(error);
    }
    log("not serving: fix the definitions above first");
    return 2;
  }

  net::io_context io;
  tcp::acceptor acceptor(io);
  try {
    const tcp::endpoint endpoint(net::ip::make_address(options.host), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(1);
  } catch (const std::exception& e) {
    log("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + e.what());
    return 1;
  }
  out << "listening on " << options.host << ":" << acceptor.local_endpoint().port() << std::endl;

  tcp::socket socket(io);
  bool accepted = false;
  boost::system::error_code ec;
  acceptor.async_accept(socket, [&](boost::system::error_code e) {
    ec = e;
    accepted = true;
  });
  if (!complete_within(io, acceptor, options.idle_timeout, accepted) || ec) {
    log("cucumber did not connect within " + std::to_string(options.idle_timeout.count()) + " s" +
        (ec ? " (" + ec.message() + ")" : std::string()));
    return 1;
  }
  acceptor.close();  // one cucumber run per runner
  log("cucumber connected");

  internal::WireEngine engine;
  std::string buffer;
  int status = 0;
  for (;;) {
    std::size_t length = 0;
    bool done = false;
    net::async_read_until(socket, net::dynamic_buffer(buffer, max_message_bytes), '\n',
                          [&](boost::system::error_code e, std::size_t n) {
                            ec = e;
                            length = n;
                            done = true;
                          });
    if (!complete_within(io, socket, options.idle_timeout, done)) {
      log("cucumber sent nothing for " + std::to_string(options.idle_timeout.count()) +
          " s; giving up");
      status = 1;
      break;
    }
    if (ec == net::error::eof) {
      if (engine.in_scenario()) {
        log("cucumber disconnected in the middle of a scenario");
        status = 1;
      }
      break;
    }
    if (ec) {
      log("reading from cucumber failed: " + ec.message() +
          (ec == net::error::not_found ? " (a message over 16 MiB)" : ""));
      status = 1;
      break;
    }
    const std::string line = buffer.substr(0, length - 1);
    buffer.erase(0, length);
    const auto response = boost::json::serialize(engine.handle_line(line)) + "\n";
    if (options.verbose) {
      log("<- " + line);
      log("-> " + response.substr(0, response.size() - 1));
    }
    if (!buffer.empty() || socket.available(ec) > 0) {
      // Cucumber never sends a request before it has its reply, unless it stopped waiting:
      // this reply would answer its next request, and every later one be off by one.
      log("cucumber sent a new request before this reply: it stopped waiting (a timeout in "
          "cucumber.wire passed) for " +
          line.substr(0, 200) + "; closing the connection");
      status = 1;
      break;
    }
    net::write(socket, net::buffer(response), ec);
    if (ec) {
      log("writing to cucumber failed: " + ec.message());
      status = 1;
      break;
    }
  }
  if (auto result = engine.finish(); !result.isSuccess()) {
    log("teardown after the run failed: " + result.message);
    status = 1;
  }
  if (engine.protocol_errors() > 0) {
    log(std::to_string(engine.protocol_errors()) + " wire message(s) could not be handled");
    status = 1;
  }
  return status;
}

}  // namespace dream::cucumber

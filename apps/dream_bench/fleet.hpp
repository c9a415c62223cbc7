#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "chat_client.hpp"

namespace dream_bench {

/// Where and how a scenario connects: the server, the local addresses to connect from (each
/// gives ~28,000 ports on loopback), and how many upgrades may be in flight at once.
struct Target {
  boost::asio::ip::tcp::endpoint server;
  std::vector<std::string> sources;
  std::size_t in_flight = 128;
};

/// Opens `count` chat connections, `in_flight` at a time; connection i joins as
/// `target_of(i)` and hands its frames to `handler_of(i)`. `done` gets the clients, or the
/// first error (then the scenario gives up).
void connect_all(boost::asio::io_context& io, const Target& target, std::size_t count,
                 std::function<std::string(std::size_t)> target_of,
                 std::function<ChatClient::TextHandler(std::size_t)> handler_of,
                 std::function<void(std::vector<std::shared_ptr<ChatClient>>, std::string)> done);

/// Stops `io` once `timeout` has passed, saying so in `failure` (every run is bounded).
void stop_after(boost::asio::io_context& io, boost::asio::steady_timer& deadline,
                std::chrono::seconds timeout, std::string& failure);

/// Calls `tick` now and then every `interval` for as long as it returns true: a warm-up or a
/// sync that repeats a message until every connection has seen it.
void repeat(boost::asio::steady_timer& timer, std::chrono::milliseconds interval,
            std::function<bool()> tick);

/// "/chat?user=NAME&announce=0": a member whose join and leave are not broadcast, so opening
/// thousands of connections costs no N-squared storm of notices.
std::string quiet_member(const std::string& name);

}  // namespace dream_bench

#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "shared_state.hpp"

namespace dream::servers::beast::detail {

/// Accepts connections and starts an HttpSession for each, on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Binds and listens at once, so a bad address or a taken port throws here.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           std::shared_ptr<SharedState> state);

  std::uint16_t port() const noexcept { return port_; }
  void run();
  void stop();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  // Logs a connection refused at max_connections, throttled.
  void log_refusal();

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
  std::shared_ptr<SharedState> state_;
  std::uint16_t port_;
  std::chrono::steady_clock::time_point refusal_logged_{};
  std::size_t refusals_unlogged_ = 0;
};

}  // namespace dream::servers::beast::detail

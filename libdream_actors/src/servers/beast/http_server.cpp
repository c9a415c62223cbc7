#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include "dream/servers/beast/server.hpp"
#include "http_session.hpp"
#include "listener.hpp"

namespace dream::servers::beast::detail {

namespace net = boost::asio;

/// The running server: the io_context pool, the listener and the sessions' shared state.
class HttpServer {
 public:
  HttpServer(ServerConfig config, std::uint16_t port, Handler handler, Runtime* runtime)
      : owned_runtime_(runtime == nullptr ? std::make_unique<Runtime>() : nullptr),
        ioc_(static_cast<int>(std::max<std::size_t>(config.io_threads, 1))),
        work_(net::make_work_guard(ioc_)),
        state_(std::make_shared<SharedState>(std::move(config), std::move(handler),
                                             runtime != nullptr ? *runtime : *owned_runtime_)) {
    const auto address = net::ip::make_address(state_->config().host);
    listener_ = std::make_shared<Listener>(ioc_, net::ip::tcp::endpoint(address, port), state_);
    listener_->run();
    const auto threads = std::max<std::size_t>(state_->config().io_threads, 1);
    for (std::size_t i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
  }

  ~HttpServer() { stop(); }

  std::uint16_t port() const noexcept { return listener_->port(); }

  void stop() {
    if (stopped_.exchange(true)) {
      return;
    }
    for (const auto& t : threads_) {
      if (t.get_id() == std::this_thread::get_id()) {
        throw std::logic_error("a server cannot be stopped from one of its own I/O threads");
      }
    }
    listener_->stop();
    state_->close_all();
    work_.reset();
    for (auto& t : threads_) {
      t.join();
    }
    if (owned_runtime_) {
      // Connection processes still running hear nothing more from their sockets; ending
      // them runs each one's on_close.
      owned_runtime_->shutdown();
    }
  }

 private:
  std::unique_ptr<Runtime> owned_runtime_;  // when the builder was given none
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::shared_ptr<SharedState> state_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopped_{false};
};

void SharedState::join(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void SharedState::leave(const Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

void SharedState::close_all() {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, weak] : sessions_) {
      if (auto session = weak.lock()) {
        open.push_back(std::move(session));
      }
    }
  }
  for (const auto& session : open) {
    session->close();
  }
}

std::shared_ptr<HttpServer> start_http_server(ServerConfig config, std::uint16_t port,
                                              Handler handler, Runtime* runtime) {
  const auto where = config.host + ":" + std::to_string(port);
  try {
    return std::make_shared<HttpServer>(std::move(config), port, std::move(handler), runtime);
  } catch (const boost::system::system_error& e) {
    // A bad host or a port in use: say which, as the std::system_error the API promises.
    throw std::system_error(std::error_code(e.code()), "dream server cannot listen on " + where);
  }
}

std::uint16_t bound_port(const HttpServer& server) noexcept {
  return server.port();
}

void stop_http_server(HttpServer& server) {
  server.stop();
}

void wait_for_termination_signal() {
  net::io_context signals_context;
  net::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  signals_context.run();
}

}  // namespace dream::servers::beast::detail

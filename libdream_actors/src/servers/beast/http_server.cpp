#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include "../../log.hpp"
#include "dream/servers/beast/server.hpp"
#include "http_session.hpp"
#include "listener.hpp"

namespace dream::servers::beast::detail {

namespace net = boost::asio;

// Limits that would stall a connection are at least 1.
ServerConfig checked(ServerConfig config) {
  config.io_threads = std::max<std::size_t>(config.io_threads, 1);
  config.websocket_read_window = std::max<std::size_t>(config.websocket_read_window, 1);
  config.websocket_read_window_bytes = std::max<std::size_t>(config.websocket_read_window_bytes, 1);
  config.max_websocket_queue_bytes = std::max<std::size_t>(config.max_websocket_queue_bytes, 1);
  config.max_websocket_message_bytes = std::max<std::size_t>(config.max_websocket_message_bytes, 1);
  config.max_connections = std::max<std::size_t>(config.max_connections, 1);
  return config;
}

/// The running server: the io_context pool, the listener and the sessions' shared state.
class HttpServer {
 public:
  /// `config` has been through checked().
  HttpServer(ServerConfig config, std::uint16_t port, Handler handler, StreamRoutes stream_routes,
             Runtime* runtime)
      : owned_runtime_(runtime == nullptr
                           ? std::make_unique<Runtime>(RuntimeConfig{config.actor_threads})
                           : nullptr),
        ioc_(std::make_unique<net::io_context>(static_cast<int>(config.io_threads))),
        work_(net::make_work_guard(*ioc_)),
        state_(std::make_shared<SharedState>(std::move(config), std::move(handler),
                                             std::move(stream_routes),
                                             runtime != nullptr ? *runtime : *owned_runtime_)) {
    const auto address = net::ip::make_address(state_->config().host);
    listener_ = std::make_shared<Listener>(*ioc_, net::ip::tcp::endpoint(address, port), state_);
    port_ = listener_->port();
    listener_->run();
    for (std::size_t i = 0; i < state_->config().io_threads; ++i) {
      threads_.emplace_back([this] { ioc_->run(); });
    }
  }

  ~HttpServer() { stop(); }

  std::uint16_t port() const noexcept { return port_; }
  ServerMetrics metrics() const noexcept { return state_->counters().snapshot(); }

  void stop() {
    for (const auto& t : threads_) {
      if (t.get_id() == std::this_thread::get_id()) {
        throw std::logic_error("a server cannot be stopped from one of its own I/O threads");
      }
    }
    if (stopped_.exchange(true)) {
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + state_->config().shutdown_timeout;
    listener_->stop();
    state_->close_all();
    // Every connection finishes on its own: queues flushed, processes done with the frames
    // they were given, closes done. The I/O threads keep running meanwhile (a session waiting
    // for its process has no operation pending). A client that reads nothing would hold its
    // close forever: at the deadline, what is left is cut.
    const bool cut = !state_->wait_for_sessions(deadline);
    work_.reset();
    ioc_->stop();
    for (auto& t : threads_) {
      t.join();
    }
    state_->abandon_all();
    // Destroying the io_context destroys what was cut off; a WebSocket session destroyed
    // that way still tells its process, so every on_close runs. Processes may still be
    // posting to their sessions: from here on, those posts are dropped.
    state_->end_io();
    listener_.reset();
    ioc_.reset();
    // Every process has been told its connection ended; stop() returns once each has run
    // on_close. Those told last (a cut, or a close that ended at the deadline) get a moment
    // more.
    const auto processes_deadline =
        std::max(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(1));
    if (cut) {
      dream::detail::log_error("server stop: connections still open after {} s were cut",
                               state_->config().shutdown_timeout.count());
    }
    if (!state_->wait_for_processes(processes_deadline)) {
      dream::detail::log_error(
          "server stop: WebSocket processes still running their on_close at the deadline");
    }
    if (owned_runtime_) {
      owned_runtime_->shutdown();
    }
  }

 private:
  std::unique_ptr<Runtime> owned_runtime_;  // when the builder was given none
  std::unique_ptr<net::io_context> ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::shared_ptr<SharedState> state_;
  std::shared_ptr<Listener> listener_;
  std::uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopped_{false};
};

void SharedState::process_started() {
  std::lock_guard lock(processes_mutex_);
  ++processes_;
}

void SharedState::process_ended() {
  std::lock_guard lock(processes_mutex_);
  if (--processes_ == 0) {
    processes_ended_.notify_all();
  }
}

bool SharedState::wait_for_processes(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(processes_mutex_);
  return processes_ended_.wait_until(lock, deadline, [this] { return processes_ == 0; });
}

void SharedState::join(const std::shared_ptr<Session>& session) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      sessions_.emplace(session.get(), session);
      return;
    }
  }
  session->close();  // born while the server stops
}

void SharedState::leave(const Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (sessions_.empty()) {
    sessions_ended_.notify_all();
  }
}

bool SharedState::wait_for_sessions(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return sessions_ended_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

void SharedState::close_all() {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    closing_ = true;
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

void SharedState::abandon_all() {
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
    session->abandon();
  }
}

std::shared_ptr<HttpServer> start_http_server(ServerConfig config, std::uint16_t port,
                                              Handler handler, StreamRoutes stream_routes,
                                              Runtime* runtime) {
  const auto where = config.host + ":" + std::to_string(port);
  try {
    return std::make_shared<HttpServer>(checked(std::move(config)), port, std::move(handler),
                                        std::move(stream_routes), runtime);
  } catch (const boost::system::system_error& e) {
    // A bad host or a port in use: say which, as the std::system_error the API promises.
    throw std::system_error(std::error_code(e.code()), "dream server cannot listen on " + where);
  }
}

std::uint16_t bound_port(const HttpServer& server) noexcept {
  return server.port();
}

ServerMetrics server_metrics(const HttpServer& server) noexcept {
  return server.metrics();
}

void stop_http_server(HttpServer& server) {
  server.stop();
}

}  // namespace dream::servers::beast::detail

namespace dream::servers::beast {

struct TerminationSignals::Impl {
  boost::asio::io_context context;
  boost::asio::signal_set signals{context, SIGINT, SIGTERM};
};

TerminationSignals::TerminationSignals() : impl_(std::make_unique<Impl>()) {
  impl_->signals.async_wait([](const boost::system::error_code&, int) {});
}

TerminationSignals::~TerminationSignals() = default;

void TerminationSignals::wait() {
  impl_->context.run();  // returns once the handler has run: a signal has arrived
}

}  // namespace dream::servers::beast

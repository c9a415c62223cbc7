#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

#include "counters.hpp"
#include "dream/runtime.hpp"
#include "dream/servers/beast/server.hpp"
#include "origin_check.hpp"
#include "session.hpp"
#include "tls_context.hpp"

namespace dream::servers::beast::detail {

/// What every connection of one server shares: the configuration, the handler, and the list
/// of open sessions, so stop() can close them all. Throws std::invalid_argument for an
/// allowed origin that is not one (see OriginPolicy), or for unusable TLS files.
class SharedState {
 public:
  SharedState(ServerConfig config, Handler handler, StreamRoutes stream_routes, Runtime& runtime)
      : config_(std::move(config)),
        origins_(config_.websocket_allowed_origins),
        tls_(make_tls_context(config_)),
        handler_(std::move(handler)),
        stream_routes_(std::move(stream_routes)),
        runtime_(runtime) {}

  const ServerConfig& config() const noexcept { return config_; }
  /// Which browser pages may open a WebSocket (config().websocket_allowed_origins, parsed).
  const OriginPolicy& origins() const noexcept { return origins_; }
  /// The TLS context new connections use, or null when the server speaks plain HTTP.
  boost::asio::ssl::context* tls() const noexcept { return tls_.get(); }
  const Handler& handler() const noexcept { return handler_; }
  /// Whether a method and path lead to a stream route, whose body the session leaves unread.
  const StreamRoutes& stream_routes() const noexcept { return stream_routes_; }
  /// Where WebSocket connection processes run.
  Runtime& runtime() const noexcept { return runtime_; }
  /// The server's counters (ServerMetrics).
  Counters& counters() noexcept { return counters_; }

  /// A WebSocket process has started / has ended (its on_close run, its state destroyed).
  void process_started();
  void process_ended();
  /// Waits until every WebSocket process has ended, or `deadline`; true if they all have.
  bool wait_for_processes(std::chrono::steady_clock::time_point deadline);

  /// Tracks a new session; once close_all() has begun, closes it at once instead.
  void join(const std::shared_ptr<Session>& session);
  void leave(const Session* session);
  /// Closes every open session (each on its own strand), and every one that joins later.
  void close_all();
  /// Waits until every tracked session has ended, or `deadline`; true if they all have.
  bool wait_for_sessions(std::chrono::steady_clock::time_point deadline);
  /// Calls abandon() on every session still open (stop(), once its threads have joined).
  void abandon_all();
  /// True once close_all() has begun: what a streaming controller's reads look at, since its
  /// thread cannot run the close meanwhile.
  bool stopping() const noexcept { return closing_.load(); }

  /// How a process reaches its session: runs `reach` (which may lock the session's weak_ptr,
  /// post to its strand, and let go) unless stop() is destroying the io_context. While it
  /// runs, end_io() waits: a session a process held for an instant would otherwise outlive
  /// the io_context and be destroyed on the process's thread, in freed Beast services.
  template <class Reach>
  void reach_io(Reach&& reach) {
    std::shared_lock lock(io_mutex_);
    if (io_alive_) {
      std::forward<Reach>(reach)();
    }
  }
  /// From now on reach_io() runs nothing: stop() is about to destroy the io_context.
  void end_io() {
    std::unique_lock lock(io_mutex_);
    io_alive_ = false;
  }

 private:
  const ServerConfig config_;
  const OriginPolicy origins_;
  const std::unique_ptr<boost::asio::ssl::context> tls_;
  const Handler handler_;
  const StreamRoutes stream_routes_;
  Runtime& runtime_;
  std::mutex mutex_;
  std::condition_variable sessions_ended_;
  bool stopping_ = false;
  std::atomic<bool> closing_{false};
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
  std::shared_mutex io_mutex_;
  bool io_alive_ = true;
  Counters counters_;
  std::mutex processes_mutex_;
  std::condition_variable processes_ended_;
  std::size_t processes_ = 0;
};

}  // namespace dream::servers::beast::detail

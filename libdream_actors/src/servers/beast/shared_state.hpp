#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include <boost/asio/post.hpp>
#include <unordered_map>

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

  /// Tracks a new session; once close_all() has begun, closes it at once instead.
  void join(const std::shared_ptr<Session>& session);
  void leave(const Session* session);
  /// Closes every open session (each on its own strand), and every one that joins later.
  void close_all();
  /// Calls abandon() on every session still open (stop(), once its threads have joined).
  void abandon_all();
  /// True once close_all() has begun: what a streaming controller's reads look at, since its
  /// thread cannot run the close meanwhile.
  bool stopping() const noexcept { return closing_.load(); }

  /// Posts `handler` to `executor` (a session's strand) from a process's thread, unless the
  /// server is destroying its io_context: then the handler is dropped, as that would drop it.
  template <class Executor, class Handler>
  void post(const Executor& executor, Handler&& handler) {
    std::shared_lock lock(io_mutex_);
    if (io_alive_) {
      boost::asio::post(executor, std::forward<Handler>(handler));
    }
  }
  /// From now on post() drops its handlers: stop() is about to destroy the io_context, and a
  /// process posting into it meanwhile would race with its destruction.
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
  bool stopping_ = false;
  std::atomic<bool> closing_{false};
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
  std::shared_mutex io_mutex_;
  bool io_alive_ = true;
};

}  // namespace dream::servers::beast::detail

#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>

#include "dream/servers/beast/server.hpp"

namespace dream::servers::beast::detail {

class HttpSession;

/// What every connection of one server shares: the configuration, the handler, and the list
/// of open sessions, so stop() can close them all.
class SharedState {
 public:
  SharedState(ServerConfig config, Handler handler)
      : config_(std::move(config)), handler_(std::move(handler)) {}

  const ServerConfig& config() const noexcept { return config_; }
  const Handler& handler() const noexcept { return handler_; }

  void join(const std::shared_ptr<HttpSession>& session);
  void leave(const HttpSession* session);
  /// Closes every open session (each on its own strand).
  void close_all();

 private:
  const ServerConfig config_;
  const Handler handler_;
  std::mutex mutex_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
};

}  // namespace dream::servers::beast::detail

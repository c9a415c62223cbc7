#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "dream/context.hpp"
#include "dream/http/request.hpp"
#include "dream/http/response.hpp"
#include "dream/router.hpp"
#include "dream/runtime.hpp"
#include "dream/servers/beast/metrics.hpp"
#include "dream/servers/beast/server_config.hpp"

// The HTTP server on Boost.Beast (Dream's server builder):
//   auto server = dream::servers::beast::create().services(services).router(app_router());
//   auto handle = std::move(server).start(0);   // or .listen(8080), which blocks
namespace dream::servers::beast {

namespace detail {
class HttpServer;
/// What the server calls for each request, on an I/O thread.
using Handler = std::function<http::Response(http::Request&)>;
/// Whether a request's method and path lead to a stream route (its body is left unread).
using StreamRoutes = std::function<bool(http::Method, std::string)>;
std::shared_ptr<HttpServer> start_http_server(ServerConfig config, std::uint16_t port,
                                              Handler handler, StreamRoutes stream_routes,
                                              Runtime* runtime);
std::uint16_t bound_port(const HttpServer& server) noexcept;
ServerMetrics server_metrics(const HttpServer& server) noexcept;
void stop_http_server(HttpServer& server);
}  // namespace detail

/// Catches SIGINT and SIGTERM from its construction on, so none is missed while a server
/// starts; wait() blocks until one has arrived (at once if one already has).
class TerminationSignals {
 public:
  TerminationSignals();
  ~TerminationSignals();
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A running server: its bound port, and stop(). Destroying it stops the server.
class ServerHandle {
 public:
  explicit ServerHandle(std::shared_ptr<detail::HttpServer> server) : server_(std::move(server)) {}
  ServerHandle(ServerHandle&&) noexcept = default;
  ServerHandle& operator=(ServerHandle&&) noexcept = default;
  ~ServerHandle() { stop(); }

  /// The port the server listens on (the one picked by the system when started with 0).
  std::uint16_t port() const noexcept { return detail::bound_port(*server_); }
  /// The server's counters now (also served on ServerConfig::metrics_route).
  ServerMetrics metrics() const noexcept { return detail::server_metrics(*server_); }
  /// Stops gracefully: stops accepting; every WebSocket stops reading, its process handles
  /// the frames already read, what it queued is written, then it closes with 1001 and
  /// on_close runs; HTTP responses in flight are written. Waits for all that up to
  /// ServerConfig::shutdown_timeout, cuts what is left, joins the I/O threads. Idempotent.
  /// Throws std::logic_error from a controller (one of the I/O threads), leaving it running.
  void stop() {
    if (server_) {
      detail::stop_http_server(*server_);
    }
  }

 private:
  std::shared_ptr<detail::HttpServer> server_;
};

/// The server builder: context and services first (they fix the router's type), then router.
template <class Context, class Services>
class Server {
 public:
  /// The context value; each request gets a fresh copy of it.
  template <class C>
  Server<C, Services> context(C context) const {
    return Server<C, Services>(std::move(context), services_, config_, runtime_);
  }
  /// The services, shared by every request.
  template <class S>
  Server<Context, S> services(S services) const {
    return Server<Context, S>(context_, std::move(services), config_, runtime_);
  }
  /// The router every request goes through.
  Server router(Router<Context, Services> router) const {
    Server next = *this;
    next.router_ = std::move(router);
    return next;
  }
  /// Limits, host and threads.
  Server config(ServerConfig config) const {
    Server next = *this;
    next.config_ = std::move(config);
    return next;
  }
  /// The runtime WebSocket connection processes run in (it must outlive the server). Without
  /// one, each started server makes its own and shuts it down when it stops.
  Server runtime(Runtime& runtime) const {
    Server next = *this;
    next.runtime_ = &runtime;
    return next;
  }

  /// Starts serving on `port` (0: a free one) and returns at once. Throws std::system_error
  /// if the address cannot be bound, std::invalid_argument if the config is not usable (an
  /// entry of websocket_allowed_origins that is not an origin; a TLS certificate without its
  /// key or the other way round, or a TLS file that cannot be read or used).
  ServerHandle start(std::uint16_t port) const {
    auto app = std::make_shared<const App>(App{context_, services_, router_});
    return ServerHandle(detail::start_http_server(
        config_, port,
        [app](http::Request& request) {
          Context context = app->context;
          return app->router.handle(request, context, app->services);
        },
        [app](http::Method method, std::string path) {
          return app->router.is_stream_route(method, std::move(path));
        },
        runtime_));
  }
  /// Serves on `port` until SIGINT or SIGTERM, then stops and returns.
  void listen(std::uint16_t port) const {
    TerminationSignals signals;
    auto handle = start(port);
    signals.wait();
  }

  /// @private Use create().
  Server(Context context, Services services, ServerConfig config, Runtime* runtime)
      : context_(std::move(context)),
        services_(std::move(services)),
        config_(std::move(config)),
        runtime_(runtime) {}

 private:
  struct App {
    Context context;
    Services services;
    Router<Context, Services> router;
  };

  Context context_;
  Services services_;
  ServerConfig config_;
  Runtime* runtime_ = nullptr;
  Router<Context, Services> router_;
};

/// A server with an empty context, no services and an empty router (every path: 404).
inline Server<EmptyContext, EmptyServices> create() {
  return Server<EmptyContext, EmptyServices>({}, {}, {}, nullptr);
}

}  // namespace dream::servers::beast

#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "dream/detail/route_table.hpp"
#include "dream/http/request.hpp"
#include "dream/http/response.hpp"

namespace dream {

/// Routes requests to controllers (Dream's router): a method and a path pattern each, with
/// middleware around. Patterns: `/users/:id` (a parameter), `/assets/**filepath` (the rest of
/// the path), `*` (any one segment). Unknown path: 404; known path, other method: 405 + Allow.
template <class Context, class Services>
class Router {
 public:
  class Next;
  /// A controller: a plain function (no closures, as in Dream).
  using Controller = http::Response (*)(const http::Request&, Context&, const Services&);
  /// A middleware: calls `next` to go on (possibly with another request), or answers itself.
  using Middleware = http::Response (*)(const http::Request&, Context&, const Services&,
                                        const Next& next);

  /// What a middleware calls to run the rest of the chain and the controller.
  class Next {
   public:
    http::Response operator()(const http::Request& request, Context& context,
                              const Services& services) const {
      return route_->run(step_ + 1, request, context, services);
    }

    /// @private Made by the router for each middleware call.
    Next(const typename Router::Route* route, std::size_t step) : route_(route), step_(step) {}

   private:
    const typename Router::Route* route_;
    std::size_t step_;
  };

  /// Adds a route; the first middleware is outermost. Throws std::invalid_argument for a
  /// pattern that does not start with '/', a nameless ':' or a '**' before the end.
  Router& route(http::Method method, std::string_view path, Controller controller,
                std::vector<Middleware> middleware = {}) {
    table_.add(method, path);
    routes_.push_back(Route{controller, std::move(middleware), false});
    return *this;
  }

  /// Adds a route whose body is not read up front (Dream's stream_route): the controller pulls
  /// it with request.body_stream(), within ServerConfig::max_streamed_body_bytes.
  Router& stream_route(http::Method method, std::string_view path, Controller controller,
                       std::vector<Middleware> middleware = {}) {
    table_.add(method, path);
    routes_.push_back(Route{controller, std::move(middleware), true});
    return *this;
  }

  /// True if `method` and `path` lead to a stream_route: the server then leaves the body unread.
  bool is_stream_route(http::Method method, std::string path) const {
    http::Request request;
    request.method = method;
    request.path = std::move(path);
    const auto match = table_.match(request);
    return match.kind == detail::RouteTable::Match::Kind::found && routes_[match.index].stream;
  }

  /// Answers `request`: fills its params and runs the matching route, or 404/405/400.
  http::Response handle(http::Request& request, Context& context, const Services& services) const {
    auto match = table_.match(request);
    switch (match.kind) {
      case detail::RouteTable::Match::Kind::found:
        return routes_[match.index].run(0, request, context, services);
      case detail::RouteTable::Match::Kind::method_not_allowed: {
        auto response = http::text_response(http::status::method_not_allowed, "Method Not Allowed");
        response.headers.set("Allow", std::move(match.allow));
        return response;
      }
      case detail::RouteTable::Match::Kind::bad_path:
        return http::bad_request("malformed percent-encoding in the path");
      case detail::RouteTable::Match::Kind::not_found:
        break;
    }
    return http::not_found();
  }

 private:
  struct Route {
    Controller controller;
    std::vector<Middleware> middleware;
    bool stream;  // a stream_route

    http::Response run(std::size_t step, const http::Request& request, Context& context,
                       const Services& services) const {
      if (step < middleware.size()) {
        return middleware[step](request, context, services, Next(this, step));
      }
      return controller(request, context, services);
    }
  };

  detail::RouteTable table_;
  std::vector<Route> routes_;
};

/// A new, empty router (Dream's `router()`).
template <class Context, class Services>
Router<Context, Services> router() {
  return {};
}

}  // namespace dream

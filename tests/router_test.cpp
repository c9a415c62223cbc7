#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "dream/context.hpp"
#include "dream/http/request.hpp"
#include "dream/router.hpp"

using namespace dream;
using namespace dream::http;

namespace {

struct Context {
  std::string trail;
};
struct Services {
  std::string name = "services";
};
using AppRouter = Router<Context, Services>;

Response show_user(const Request& request, Context& context, const Services&) {
  return text_response(status::ok,
                       "user " + std::string(request.param("id").value_or("?")) + context.trail);
}
Response create_user(const Request&, Context&, const Services&) {
  return text_response(status::created, "created");
}
Response asset(const Request& request, Context&, const Services&) {
  return text_response(status::ok, "asset " + std::string(request.param("filepath").value_or("?")));
}
Response any_segment(const Request&, Context&, const Services&) {
  return text_response(status::ok, "any");
}

// Middleware that records itself, then calls the rest of the chain.
Response outer(const Request& request, Context& context, const Services& services,
               const AppRouter::Next& next) {
  context.trail += " outer";
  return next(request, context, services);
}
Response inner(const Request& request, Context& context, const Services& services,
               const AppRouter::Next& next) {
  context.trail += " inner";
  return next(request, context, services);
}
// Middleware that answers itself when the request lacks a token.
Response require_token(const Request& request, Context& context, const Services& services,
                       const AppRouter::Next& next) {
  if (!request.header("Authorization")) {
    return unauthorized("no token");
  }
  return next(request, context, services);
}

AppRouter app() {
  return router<Context, Services>()
      .route(Method::Get, "/users/:id", show_user, {outer, inner})
      .route(Method::Post, "/users", create_user, {require_token})
      .route(Method::Get, "/assets/**filepath", asset)
      .route(Method::Delete, "/things/*", any_segment);
}

Response handle(const AppRouter& r, Method method, std::string path, Headers headers = {}) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  request.headers = std::move(headers);
  Context context;
  return r.handle(request, context, Services{});
}

}  // namespace

TEST_SUITE("router") {
  TEST_CASE("path parameters are matched and percent-decoded") {
    auto r = app();
    CHECK(handle(r, Method::Get, "/users/42").body == "user 42 outer inner");
    CHECK(handle(r, Method::Get, "/users/J%C3%BCrgen").body == "user Jürgen outer inner");
    CHECK(handle(r, Method::Get, "/users/42/").body == "user 42 outer inner");
  }

  TEST_CASE("a tail wildcard takes the rest of the path") {
    auto r = app();
    CHECK(handle(r, Method::Get, "/assets/styles/chat.css").body == "asset styles/chat.css");
    CHECK(handle(r, Method::Get, "/assets/a").body == "asset a");
    CHECK(handle(r, Method::Get, "/assets").body == "asset ");
    CHECK(handle(r, Method::Delete, "/things/x").body == "any");
    CHECK(handle(r, Method::Delete, "/things/x/y").status == status::not_found);
  }

  TEST_CASE("unknown path: 404; known path, other method: 405 with Allow") {
    auto r = app();
    CHECK(handle(r, Method::Get, "/nowhere").status == status::not_found);
    CHECK(handle(r, Method::Get, "/users/1/extra").status == status::not_found);
    auto refused = handle(r, Method::Put, "/users/1");
    CHECK(refused.status == status::method_not_allowed);
    CHECK(refused.headers.get("Allow") == "GET, HEAD");
    auto post_only = handle(r, Method::Get, "/users");
    CHECK(post_only.status == status::method_not_allowed);
    CHECK(post_only.headers.get("allow") == "POST");
  }

  TEST_CASE("HEAD is answered by the GET route") {
    CHECK(handle(app(), Method::Head, "/users/7").body == "user 7 outer inner");
  }

  TEST_CASE("middleware wraps in order and can answer without the controller") {
    auto r = app();
    CHECK(handle(r, Method::Post, "/users").status == status::unauthorized);
    Headers with_token;
    with_token.set("authorization", "Bearer x");
    CHECK(handle(r, Method::Post, "/users", with_token).status == status::created);
  }

  TEST_CASE("a malformed escape in the path is a 400") {
    CHECK(handle(app(), Method::Get, "/users/%zz").status == status::bad_request);
  }

  TEST_CASE("bad patterns are refused when the route is added") {
    AppRouter r;
    CHECK_THROWS_AS(r.route(Method::Get, "no-slash", any_segment), std::invalid_argument);
    CHECK_THROWS_AS(r.route(Method::Get, "/a/**rest/b", any_segment), std::invalid_argument);
    CHECK_THROWS_AS(r.route(Method::Get, "/a/:", any_segment), std::invalid_argument);
  }
}

TEST_SUITE("request") {
  TEST_CASE("response helpers set the status and the content type") {
    CHECK(text_response(201, "t").headers.get("Content-Type") == "text/plain; charset=utf-8");
    CHECK(html_response(200, "<p>").headers.get("Content-Type") == "text/html; charset=utf-8");
    auto json = json_response(200, R"({"a":1})");
    CHECK(json.headers.get("Content-Type") == "application/json");
    CHECK(json.body == R"({"a":1})");
    auto empty = empty_response(status::no_content);
    CHECK(empty.status == 204);
    CHECK(empty.body.empty());
    CHECK(empty.headers.size() == 0);
    auto redirect = redirect_response(status::see_other, "/next");
    CHECK(redirect.status == 303);
    CHECK(redirect.headers.get("Location") == "/next");
    CHECK(unauthorized("no").status == 401);
    CHECK(forbidden("no").status == 403);
    CHECK(not_found().status == 404);
    CHECK(bad_request("why").body == "why");
    CHECK(internal_server_error().status == 500);
  }

  TEST_CASE("query parameters are percent-decoded UTF-8, '+' is a space") {
    Request request;
    request.query = "user=J%C3%BCrgen+M&empty=&flag&user=second";
    CHECK(request.query_param("user") == "Jürgen M");
    CHECK(request.query_param("empty") == "");
    CHECK(request.query_param("flag") == "");
    CHECK_FALSE(request.query_param("missing").has_value());
    request.query = "user=%E0%A4";  // a valid escape of an incomplete UTF-8 sequence: bytes kept
    CHECK(request.query_param("user") == std::string("\xE0\xA4"));
    request.query = "user=%zz";
    CHECK_FALSE(request.query_param("user").has_value());
  }

  TEST_CASE("headers are found whatever their case") {
    Request request;
    request.headers.add("Content-Type", "text/plain");
    CHECK(request.header("content-type") == "text/plain");
    CHECK(request.header("CONTENT-TYPE") == "text/plain");
    CHECK_FALSE(request.header("Accept").has_value());
  }
}

// HTTP steps: requests to the scenario's server (whichever step started it: the chat program's
// or the router app's) with the real client of tests/, checks on the answer, and the router
// app of features/http.feature.
#include <doctest/doctest.h>

#include <dream/cucumber/autodetect.hpp>

#include <memory>
#include <stdexcept>
#include <string>

#include "http_client.hpp"
#include "http_context.hpp"
#include "router_app.hpp"

using cucumber::ScenarioScope;
using namespace feature_steps;

namespace {

// The router app of this scenario; a fresh one each time, so no scenario sees another's.
struct RouterAppContext {
  std::unique_ptr<RouterApp> app;
};

// A new connection per request: a refused request may close it (400 does).
test_support::HttpReply send_request(const std::string& method, const std::string& target) {
  ScenarioScope<HttpContext> http;
  REQUIRE_MESSAGE(http->port != 0,
                  "no server in this scenario: start with \"Given the router app is running\" or "
                  "\"Given the server is running on port 8080\"");
  test_support::HttpClient client(http->port);
  return client.request(method, target);
}

const test_support::HttpReply& last_reply() {
  ScenarioScope<HttpContext> http;
  REQUIRE_MESSAGE(http->reply.has_value(), "no request was sent in this scenario");
  return *http->reply;
}

// The start of a body on one line, enough to recognise it in a failure message.
std::string excerpt(const std::string& body) {
  constexpr std::size_t shown = 160;
  std::string text;
  for (const char c : body.substr(0, shown)) {
    text += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return body.size() <= shown ? text : text + "… (" + std::to_string(body.size()) + " bytes)";
}

const std::string& cell(const cucumber::Table::hash_row_type& row, const std::string& column) {
  const auto found = row.find(column);
  if (found == row.end()) {
    throw std::invalid_argument("the table has no column \"" + column + "\"");
  }
  return found->second;
}

unsigned status_cell(const cucumber::Table::hash_row_type& row) {
  const auto& text = cell(row, "status");
  try {
    return static_cast<unsigned>(std::stoul(text));
  } catch (const std::exception&) {
    throw std::invalid_argument("the status \"" + text + "\" is not a number");
  }
}

}  // namespace

GIVEN("^the router app is running$") {
  ScenarioScope<RouterAppContext> router;
  ScenarioScope<HttpContext> http;
  router->app = std::make_unique<RouterApp>();
  http->port = router->app->port();
}

WHEN("^I send a ([A-Z]+) request to \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, method);
  REGEX_PARAM(std::string, target);
  ScenarioScope<HttpContext> http;
  http->reply.reset();
  http->request = method + " " + target;
  http->reply = send_request(method, target);
}

THEN("^the response status should be (\\d+)$") {
  REGEX_PARAM(unsigned, status);
  ScenarioScope<HttpContext> http;
  const auto& reply = last_reply();
  CHECK_MESSAGE(reply.status == status,
                http->request << " answered " << reply.status << " with: " << excerpt(reply.body));
}

THEN("^the response should contain \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, text);
  ScenarioScope<HttpContext> http;
  const auto& reply = last_reply();
  CHECK_MESSAGE(reply.body.find(text) != std::string::npos,
                http->request << " answered " << reply.status << " without \"" << text
                              << "\": " << excerpt(reply.body));
}

THEN("^the response body should be \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, body);
  ScenarioScope<HttpContext> http;
  const auto& reply = last_reply();
  CHECK_MESSAGE(reply.body == body, http->request << " answered \"" << excerpt(reply.body)
                                                  << "\", not \"" << body << "\"");
}

THEN("^the response header \"([^\"]*)\" should be \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, name);
  REGEX_PARAM(std::string, value);
  ScenarioScope<HttpContext> http;
  const auto actual = last_reply().header(name);
  CHECK_MESSAGE(actual == value, http->request << " answered with " << name << ": \"" << actual
                                               << "\", not \"" << value << "\"");
}

// Each row is one request: method, path, and the status and body it must get.
THEN("^the app should answer these requests:$") {
  TABLE_PARAM(requests);
  REQUIRE_MESSAGE(!requests.hashes().empty(), "the table lists no request");
  for (const auto& row : requests.hashes()) {
    const auto& method = cell(row, "method");
    const auto& path = cell(row, "path");
    const auto status = status_cell(row);
    const auto reply = send_request(method, path);
    CHECK_MESSAGE(reply.status == status, method << " " << path << " answered " << reply.status
                                                 << " with: " << excerpt(reply.body));
    const auto& body = cell(row, "body");
    CHECK_MESSAGE(reply.body == body, method << " " << path << " answered \"" << excerpt(reply.body)
                                             << "\", not \"" << body << "\"");
  }
}

// Each row is a GET that must be refused with its status and never carry the secret file.
THEN("^these requests should be refused without revealing the secret:$") {
  TABLE_PARAM(requests);
  REQUIRE_MESSAGE(!requests.hashes().empty(), "the table lists no request");
  for (const auto& row : requests.hashes()) {
    const auto& path = cell(row, "path");
    const auto status = status_cell(row);
    const auto reply = send_request("GET", path);
    CHECK_MESSAGE(reply.status == status, "GET " << path << " answered " << reply.status
                                                 << " with: " << excerpt(reply.body));
    CHECK_MESSAGE(reply.body.find(RouterApp::secret()) == std::string::npos,
                  "GET " << path << " revealed the secret: " << excerpt(reply.body));
  }
}

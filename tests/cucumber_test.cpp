// The step runner, tested the way users meet it: real cucumber runs the self-test features
// against the real runner (tests/cucumber/selftest), and a raw TCP client speaks the wire
// protocol to it where cucumber cannot be made to misbehave.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace json = boost::json;
namespace net = boost::asio;

namespace {

const std::string features = DREAM_SELFTEST_FEATURES;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int status = -1;
  std::string output;
};

// Runs a shell command (bounded by `timeout`), its stdout and stderr captured together.
Outcome run(const std::string& command) {
  const auto out = std::filesystem::temp_directory_path() /
                   ("dream-cucumber-test-" + std::to_string(::getpid()) + ".out");
  const int raw = std::system(("timeout 300 " + command + " >" + out.string() + " 2>&1").c_str());
  Outcome outcome{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(out)};
  std::filesystem::remove(out);
  return outcome;
}

// run-features with the self-test runner (or `runner`), cucumber's arguments after --.
Outcome run_features(const std::string& cucumber_args,
                     const std::string& runner = DREAM_SELFTEST_RUNNER) {
  return run(std::string(DREAM_RUN_FEATURES) + " --runner " + runner + " --features " + features +
             " -- " + cucumber_args);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One scenario of cucumber's JSON report: its steps' and hooks' results.
struct ScenarioReport {
  std::vector<std::pair<std::string, std::string>> steps;  // status, error message
  std::vector<std::pair<std::string, std::string>> hooks;
};

std::multimap<std::string, ScenarioReport> scenarios_of(const std::string& report) {
  std::multimap<std::string, ScenarioReport> scenarios;
  const auto result = [](const json::value& step) {
    const auto& r = step.at("result").as_object();
    const auto* message = r.if_contains("error_message");
    return std::pair{std::string(r.at("status").as_string()),
                     message ? std::string(message->as_string()) : std::string()};
  };
  const auto parsed = json::parse(report);
  for (const auto& feature : parsed.as_array()) {
    for (const auto& element : feature.at("elements").as_array()) {
      ScenarioReport scenario;
      for (const auto& step : element.at("steps").as_array()) {
        scenario.steps.push_back(result(step));
      }
      for (const char* kind : {"before", "after"}) {
        if (const auto* hooks = element.as_object().if_contains(kind)) {
          for (const auto& hook : hooks->as_array()) {
            scenario.hooks.push_back(result(hook));
          }
        }
      }
      scenarios.emplace(std::string(element.at("name").as_string()), std::move(scenario));
    }
  }
  return scenarios;
}

// The one step of a failing scenario.
std::pair<std::string, std::string> only_step(
    const std::multimap<std::string, ScenarioReport>& scenarios, const std::string& name) {
  REQUIRE_MESSAGE(scenarios.count(name) == 1, "no scenario named ", name, " in the report");
  const auto& steps = scenarios.find(name)->second.steps;
  REQUIRE(steps.size() == 1);
  return steps.front();
}

// One cucumber run of the passing and failing self-test features, shared by the subcases that
// look at it (doctest runs a test case once per subcase).
struct SelfTest {
  Outcome outcome;
  std::multimap<std::string, ScenarioReport> scenarios;
};

const SelfTest& self_test() {
  static const SelfTest result = [] {
    const auto report = std::filesystem::temp_directory_path() /
                        ("dream-selftest-" + std::to_string(::getpid()) + ".json");
    SelfTest made;
    made.outcome = run_features(features + "/passing.feature " + features +
                                "/failing.feature --format json --out " + report.string());
    made.scenarios = scenarios_of(read_file(report));
    std::filesystem::remove(report);
    return made;
  }();
  return result;
}

// The self-test runner started by hand: its port, then its exit status and log.
class Runner {
 public:
  // `environment`: assignments put before the command, e.g. "NAME=value ".
  explicit Runner(int idle_timeout = 20, const std::string& environment = "")
      : log_(std::filesystem::temp_directory_path() /
             ("dream-runner-" + std::to_string(::getpid()) + ".log")) {
    pipe_ = ::popen((environment + DREAM_SELFTEST_RUNNER + " --port 0 --idle-timeout " +
                     std::to_string(idle_timeout) + " 2>" + log_.string())
                        .c_str(),
                    "r");
    REQUIRE(pipe_ != nullptr);
    char line[128] = {};
    REQUIRE(std::fgets(line, sizeof line, pipe_) != nullptr);
    const std::string text = line;
    REQUIRE(text.rfind("listening on 127.0.0.1:", 0) == 0);
    port = static_cast<std::uint16_t>(std::stoi(text.substr(text.rfind(':') + 1)));
  }
  ~Runner() {
    if (pipe_ != nullptr) {
      (void)finish();
    }
  }
  // Waits for the runner to exit (it does once its client has gone); its exit status.
  int finish() {
    const int raw = ::pclose(pipe_);
    pipe_ = nullptr;
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }
  std::string log() const { return read_file(log_); }

  std::uint16_t port = 0;

 private:
  std::filesystem::path log_;
  std::FILE* pipe_ = nullptr;
};

// A wire-protocol client: one JSON array per line each way, every read bounded.
class WireClient {
 public:
  explicit WireClient(std::uint16_t port) : socket_(io_) {
    socket_.connect({net::ip::make_address("127.0.0.1"), port});
    const timeval limit{20, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  }
  json::value call(const std::string& line) {
    net::write(socket_, net::buffer(line + "\n"));
    const auto n = net::read_until(socket_, net::dynamic_buffer(buffer_), '\n');
    const auto reply = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return json::parse(reply);
  }
  void close() { socket_.close(); }

 private:
  net::io_context io_;
  net::ip::tcp::socket socket_;
  std::string buffer_;
};

}  // namespace

TEST_SUITE("cucumber") {
  TEST_CASE("the self-test: every passing scenario passes, every failing one for its reason") {
    const auto& [outcome, scenarios] = self_test();
    INFO(outcome.output);
    CHECK(outcome.status == 1);  // the failing feature fails the run

    std::size_t passing = 0;
    for (const auto& [name, scenario] : scenarios) {
      bool all_passed = !scenario.steps.empty();
      for (const auto& [status, message] : scenario.steps) {
        all_passed = all_passed && status == "passed";
      }
      for (const auto& [status, message] : scenario.hooks) {
        all_passed = all_passed && status == "passed";
      }
      passing += all_passed;
    }
    CHECK(passing == 19);  // passing.feature: 17 scenarios and an outline of 2 examples
    CHECK(scenarios.size() == 19 + 13);  // and failing.feature's 13

    SUBCASE("failed CHECKs: each expression, its values and file:line; the step goes on") {
      const auto [status, message] =
          only_step(scenarios, "CHECK failures are all reported and the step goes on");
      CHECK(status == "failed");
      CHECK(contains(message, "CHECK_EQ( two, 3 ) is NOT correct!\n  values: CHECK_EQ( 2, 3 )"));
      CHECK(contains(message, "CHECK( two == 4 ) is NOT correct!\n  values: CHECK( 2 == 4 )"));
      CHECK(contains(message, "selftest_steps.cpp:"));
      CHECK(contains(message, "(doctest assertion from 127.0.0.1:"));
    }
    SUBCASE("a failed REQUIRE ends the step") {
      const auto [status, message] = only_step(scenarios, "REQUIRE stops the step");
      CHECK(status == "failed");
      CHECK(contains(message, "REQUIRE( two == 5 ) is NOT correct!"));
      CHECK_FALSE(contains(message, "two == 6"));
    }
    SUBCASE("doctest's INFO and *_MESSAGE text, FAIL_CHECK, and FAIL ending the step") {
      const auto [status, message] = only_step(
          scenarios, "doctest's messages, FAIL_CHECK and FAIL are reported; FAIL ends the step");
      CHECK(status == "failed");
      CHECK(
          contains(message, "CHECK( answer == 41 ) is NOT correct!\n  values: CHECK( 42 == 41 )"));
      CHECK(contains(message, "the answer is 42"));
      CHECK(contains(message, "forty-one expected"));
      CHECK(contains(message, "a FAIL_CHECK goes on"));
      CHECK(contains(message, "a FAIL ends the step"));
      CHECK_FALSE(contains(message, "never reached"));
    }
    SUBCASE("a std::exception: its message and its type") {
      const auto [status, message] =
          only_step(scenarios, "A std::exception fails the step with its type and message");
      CHECK(status == "failed");
      CHECK(contains(message, "the disk is on fire (std::runtime_error from 127.0.0.1:"));
    }
    SUBCASE("anything else thrown: its type") {
      const auto [status, message] = only_step(scenarios, "Anything thrown fails the step");
      CHECK(status == "failed");
      CHECK(contains(message, "threw an exception of type int (not a std::exception) (int from"));
    }
    SUBCASE("pending(), with its reason, even though the body went on and threw") {
      const auto [status, message] = only_step(scenarios, "Pending");
      CHECK(status == "pending");
      CHECK(contains(message, "not written yet"));
    }
    SUBCASE("a failed CHECK on another thread fails the step, and the runner carries on") {
      const auto [status, message] =
          only_step(scenarios, "A failed CHECK on another thread fails the step");
      CHECK(status == "failed");
      CHECK(contains(message, "CHECK_EQ( two, 11 ) is NOT correct!"));
    }
    SUBCASE("failed assertions before an exception are reported with it") {
      const auto [status, message] =
          only_step(scenarios, "A failed CHECK and then an exception: both are reported");
      CHECK(status == "failed");
      CHECK(contains(message, "CHECK_EQ( two, 12 ) is NOT correct!"));
      CHECK(contains(message, "then the step threw: no such key (std::out_of_range from"));
    }
    SUBCASE("a thrown std::string is the failure's message") {
      const auto [status, message] = only_step(scenarios, "A thrown std::string is the message");
      CHECK(status == "failed");
      CHECK(contains(message, "plain text (std::string from"));
    }
    SUBCASE("an undefined step, and the C++ snippet that would define it") {
      CHECK(only_step(scenarios, "Undefined").first == "undefined");
      CHECK(contains(
          outcome.output,
          "WHEN(\"^a step nobody wrote with \\\"([^\\\"]*)\\\" and (-?\\\\d+) items$\") {\n"
          "  REGEX_PARAM(std::string, arg1);\n"
          "  REGEX_PARAM(int, arg2);\n"
          "  pending();\n"
          "}"));
    }
    SUBCASE("a capture that does not convert to the parameter's type") {
      const auto [status, message] = only_step(scenarios, "A capture that does not convert");
      CHECK(status == "failed");
      CHECK(contains(message, "argument 1 (\"twelve\") does not convert"));
      CHECK(contains(message, "std::invalid_argument"));
    }
    SUBCASE("GoogleTest: failed EXPECTs are all reported, a failed ASSERT ends the step") {
      const auto [status, message] =
          only_step(scenarios, "GoogleTest assertions fail the step too");
      CHECK(status == "failed");
      CHECK(contains(message, "Expected equality of these values:\n  two\n    Which is: 2\n  7"));
      CHECK(contains(message, "Value of: two == 8"));
      CHECK(contains(message, "selftest_gtest_steps.cpp:"));
      CHECK(contains(message, "(GoogleTest assertion from 127.0.0.1:"));
      CHECK_FALSE(contains(message, "\n  9"));
    }
    SUBCASE("a failing AFTER hook fails its scenario") {
      const auto name = "A failing AFTER hook fails the scenario";
      REQUIRE(scenarios.count(name) == 1);
      const auto& scenario = scenarios.find(name)->second;
      REQUIRE(scenario.hooks.size() == 2);
      CHECK(scenario.hooks.back().first == "failed");
      CHECK(contains(scenario.hooks.back().second, "the AFTER hook failed on purpose"));
    }
  }

  TEST_CASE("an ambiguous step fails the run, naming both definitions") {
    const auto outcome = run_features(features + "/ambiguous.feature");
    CHECK(outcome.status == 1);
    CHECK(contains(outcome.output, "Ambiguous match of \"a step matches twice\""));
    CHECK(contains(outcome.output, ":in `^a step matches twice$'"));
    CHECK(contains(outcome.output, ":in `^a step matches (twice)$'"));
  }

  TEST_CASE("a regular expression that does not compile: the runner refuses to start") {
    const auto outcome = run_features(features + "/passing.feature", DREAM_BAD_REGEX_RUNNER);
    CHECK(outcome.status == 1);
    CHECK(contains(outcome.output, "the step runner did not start"));
    CHECK(contains(outcome.output, "it exited with status 2"));
    CHECK(contains(outcome.output,
                   "bad_regex_steps.cpp:5: the step's regular expression "
                   "/^a step with an (unbalanced parenthesis$/ does not compile"));
  }

  TEST_CASE("a runner killed in the middle of a run fails it clearly, without a hang") {
    const auto outcome = run_features(features + "/killed.feature");
    CHECK(outcome.status == 1);
    CHECK(contains(outcome.output, "closed."));  // cucumber: "Remote Socket with ... closed."
    CHECK(contains(outcome.output, "the step runner exited with status 137"));
  }
}

TEST_CASE(
    "cucumber stops waiting for a slow step: the runner closes, nothing is answered "
    "out of turn") {
  const auto outcome =
      run("env DREAM_SELFTEST_INVOKE_TIMEOUT=1 " + std::string(DREAM_RUN_FEATURES) + " --runner " +
          DREAM_SELFTEST_RUNNER + " --features " + features + " -- " + features + "/slow.feature");
  CHECK(outcome.status == 1);
  CHECK(contains(outcome.output, "Timed out calling wire server with message 'invoke'"));
  CHECK(contains(outcome.output, "it stopped waiting"));
}

TEST_CASE("options alone after --: every feature of the directory, filtered by them") {
  const auto outcome = run_features("--tags @tagged");
  CHECK(outcome.status == 0);
  CHECK(contains(outcome.output, "1 scenario (1 passed)"));
}

TEST_CASE("no scenario selected: cucumber's verdict stands and the runner is not blamed") {
  const auto outcome = run_features("--tags @no_such_tag");
  CHECK(outcome.status == 0);
  CHECK(contains(outcome.output, "0 scenarios"));
  CHECK(contains(outcome.output, "cucumber never connected to the step runner"));
  CHECK_FALSE(contains(outcome.output, "exited with status"));
}

TEST_SUITE("cucumber_wire") {
  TEST_CASE("step_matches: captures with character positions, source and regexp") {
    Runner runner;
    WireClient cucumber(runner.port);
    const auto reply =
        cucumber.call(R"(["step_matches",{"name_to_match":"the name \"Zoë ✓ 日本\" is entered"}])");
    const auto& matches = reply.as_array().at(1).as_array();
    REQUIRE(matches.size() == 1);
    const auto& match = matches.at(0).as_object();
    CHECK(match.at("regexp").as_string() == "^the name \"([^\"]*)\" is entered$");
    CHECK(std::string(match.at("source").as_string()).find("selftest_steps.cpp:") !=
          std::string::npos);
    const auto& arg = match.at("args").as_array().at(0).as_object();
    CHECK(arg.at("val").as_string() == "Zoë ✓ 日本");
    CHECK(arg.at("pos").as_int64() == 10);  // characters, as cucumber-ruby indexes strings

    const auto none = cucumber.call(R"(["step_matches",{"name_to_match":"no such step"}])");
    CHECK(json::serialize(none) == R"(["success",[]])");
    cucumber.close();
    CHECK(runner.finish() == 0);
  }

  TEST_CASE("a scenario over the wire: hooks, a table argument, the context torn down") {
    Runner runner;
    WireClient cucumber(runner.port);
    const auto id = [&](const std::string& text) {
      const auto reply = cucumber.call(R"(["step_matches",{"name_to_match":")" + text + "\"}]");
      return std::string(reply.as_array().at(1).as_array().at(0).at("id").as_string());
    };
    const auto people = id("these people:");
    const auto check = id("there should be 1 people and \\\"Ann\\\" should be 5");
    const auto counter = id("the scenario counter should be 0");
    const auto increment = id("the scenario counter is incremented");
    CHECK(json::serialize(cucumber.call(R"(["begin_scenario",{"tags":["tagged"]}])")) ==
          R"(["success"])");
    CHECK(json::serialize(cucumber.call(R"(["invoke",{"id":")" + people +
                                        R"(","args":[[["name","age"],["Ann","5"]]]}])")) ==
          R"(["success"])");
    CHECK(json::serialize(cucumber.call(R"(["invoke",{"id":")" + check +
                                        R"(","args":["1","Ann","5"]}])")) == R"(["success"])");
    CHECK(json::serialize(cucumber.call(R"(["invoke",{"id":")" + increment + R"(","args":[]}])")) ==
          R"(["success"])");
    const auto wrong =
        cucumber.call(R"(["invoke",{"id":")" + check + R"(","args":["2","Ann","5"]}])");
    CHECK(wrong.as_array().at(0).as_string() == "fail");
    CHECK(json::serialize(cucumber.call(R"(["end_scenario"])")) == R"(["success"])");
    // A new scenario starts from a fresh context.
    CHECK(json::serialize(cucumber.call(R"(["begin_scenario"])")) == R"(["success"])");
    CHECK(json::serialize(cucumber.call(R"(["invoke",{"id":")" + counter +
                                        R"(","args":["0"]}])")) == R"(["success"])");
    CHECK(json::serialize(cucumber.call(R"(["end_scenario"])")) == R"(["success"])");
    CHECK_FALSE(contains(runner.log(), "AFTER_ALL ran"));
    cucumber.close();
    CHECK(runner.finish() == 0);
    CHECK(contains(runner.log(), "[selftest] AFTER_ALL ran"));  // once cucumber has gone
  }

  TEST_CASE("a failed BEFORE_ALL fails every scenario; AFTER_ALL still runs") {
    Runner runner(20, "DREAM_SELFTEST_FAIL_BEFORE_ALL=1 ");
    WireClient cucumber(runner.port);
    for (int scenario = 0; scenario < 2; ++scenario) {
      const auto reply = cucumber.call(R"(["begin_scenario"])");
      CHECK(reply.as_array().at(0).as_string() == "fail");
      CHECK(contains(std::string(reply.at(1).at("message").as_string()),
                     "BEFORE_ALL failed, so no scenario can run: hook at "));
      CHECK(contains(std::string(reply.at(1).at("message").as_string()),
                     "BEFORE_ALL failed on purpose"));
      CHECK(json::serialize(cucumber.call(R"(["end_scenario"])")) == R"(["success"])");
    }
    cucumber.close();
    CHECK(runner.finish() == 0);
    CHECK(contains(runner.log(), "[selftest] AFTER_ALL ran"));
  }

  TEST_CASE("a runner nobody connects to gives up after its idle timeout") {
    Runner runner(1);
    CHECK(runner.finish() == 1);
    CHECK(contains(runner.log(), "cucumber did not connect within 1 s"));
  }

  TEST_CASE("snippet_text: the C++ definition for an undefined step") {
    Runner runner;
    WireClient cucumber(runner.port);
    const auto reply = cucumber.call(
        R"(["snippet_text",{"step_keyword":"Given","step_name":"I have 3 \"red\" (big) apples",)"
        R"("multiline_arg_class":"Cucumber::MultilineArgument::DataTable"}])");
    CHECK(reply.as_array().at(1).as_string() ==
          "GIVEN(\"^I have (-?\\\\d+) \\\"([^\\\"]*)\\\" \\\\(big\\\\) apples$\") {\n"
          "  REGEX_PARAM(int, arg1);\n"
          "  REGEX_PARAM(std::string, arg2);\n"
          "  TABLE_PARAM(table);\n"
          "  pending();\n"
          "}\n");
    cucumber.close();
    CHECK(runner.finish() == 0);
  }

  TEST_CASE("bad messages get a fail reply, the run goes on, and the runner's status says so") {
    Runner runner;
    WireClient cucumber(runner.port);
    const auto garbage = cucumber.call("this is not json");
    CHECK(garbage.as_array().at(0).as_string() == "fail");
    CHECK(contains(std::string(garbage.at(1).at("message").as_string()), "could not parse"));
    const auto unknown = cucumber.call(R"(["launch_rockets",{}])");
    CHECK(contains(std::string(unknown.at(1).at("message").as_string()),
                   "does not know the wire message 'launch_rockets'"));
    const auto bad_id = cucumber.call(R"(["invoke",{"id":"9999","args":[]}])");
    CHECK(contains(std::string(bad_id.at(1).at("message").as_string()), "no step definition"));
    const auto still = cucumber.call(R"(["step_matches",{"name_to_match":"a step is pending"}])");
    CHECK(still.as_array().at(1).as_array().size() == 1);
    cucumber.close();
    CHECK(runner.finish() == 1);
    CHECK(contains(runner.log(), "3 wire message(s) could not be handled"));
  }

  TEST_CASE("cucumber disconnecting in the middle of a scenario: torn down, status 1") {
    Runner runner;
    WireClient cucumber(runner.port);
    CHECK(json::serialize(cucumber.call(R"(["begin_scenario"])")) == R"(["success"])");
    cucumber.close();
    CHECK(runner.finish() == 1);
    CHECK(contains(runner.log(), "cucumber disconnected in the middle of a scenario"));
  }
}

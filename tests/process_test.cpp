#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "dream/actor.hpp"
#include "dream/process.hpp"
#include "support.hpp"

using namespace dream;
using namespace dream::process;
using namespace test_support;

namespace {

// A process that stops at its first message.
actor::Next<int, int> stop_at_once(int, const int&) {
  return actor::stop();
}
// A process that ignores everything.
actor::Next<int, int> ignore(int state, const int&) {
  return actor::continue_with(state);
}

// True when a V can be sent to a Subject<S>.
template <class S, class V>
concept Sendable = requires(Subject<S> s, V v) {
  dream::process::send(s, v);
};

}  // namespace

TEST_SUITE("process") {
  TEST_CASE("typed send and receive through an Inbox") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto numbers = inbox.new_subject<int>();
    auto words = inbox.new_subject<std::string>();

    REQUIRE(send(words, "hello").has_value());
    REQUIRE(send(numbers, 42).has_value());
    REQUIRE(send(words, "world").has_value());

    // Each receive takes from its own subject; the others wait, in order.
    CHECK(inbox.receive(numbers, patience) == 42);
    CHECK(inbox.receive(words, patience) == "hello");
    CHECK(inbox.receive(words, patience) == "world");
    CHECK_FALSE(inbox.receive(numbers, quiet).has_value());
  }

  TEST_CASE("receive returns an empty optional on timeout") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto subject = inbox.new_subject<int>();
    const auto before = std::chrono::steady_clock::now();
    CHECK_FALSE(inbox.receive(subject, 50ms).has_value());
    CHECK(std::chrono::steady_clock::now() - before >= 50ms);
  }

  TEST_CASE("a selector maps several subjects into one type") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto numbers = inbox.new_subject<int>();
    auto words = inbox.new_subject<std::string>();
    auto ignored = inbox.new_subject<std::string>();
    auto selector = Selector<std::string>().select(words).select_map(
        numbers, [](const int& n) { return "#" + std::to_string(n); });

    REQUIRE(send(ignored, "not selected").has_value());
    REQUIRE(send(numbers, 7).has_value());
    REQUIRE(send(words, "seven").has_value());

    CHECK(inbox.receive(selector, patience) == "#7");
    CHECK(inbox.receive(selector, patience) == "seven");
    CHECK_FALSE(inbox.receive(selector, quiet).has_value());
    // What the selector did not select is still there for its own subject.
    CHECK(inbox.receive(ignored, patience) == "not selected");
  }

  TEST_CASE("a payload sent once is moved, never copied, into the receiver") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto subject = inbox.new_subject<Counted>();
    Counted::copies = 0;
    REQUIRE(send(subject, Counted(5)).has_value());
    auto got = inbox.receive(subject, patience);
    REQUIRE(got.has_value());
    CHECK(got->seq == 5);
    CHECK(Counted::copies == 0);
  }

  TEST_CASE("monitor delivers Down: normal stop, kill, and an already ended process") {
    Runtime runtime;
    Inbox inbox(runtime);

    auto stopper = actor::start<int, int>(runtime, 0, stop_at_once).value();
    inbox.monitor(stopper.pid);
    REQUIRE(send(stopper.subject, 1).has_value());
    auto down = inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == stopper.pid);
    CHECK(down->normal);
    CHECK_FALSE(stopper.pid.is_alive());

    auto victim = actor::start<int, int>(runtime, 0, ignore).value();
    inbox.monitor(victim.pid);
    kill(victim.pid);
    down = inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == victim.pid);
    CHECK_FALSE(down->normal);
    CHECK_FALSE(down->reason.empty());

    // Monitoring a process that has already ended gives its Down at once.
    inbox.monitor(victim.pid);
    down = inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == victim.pid);
    CHECK_FALSE(inbox.receive_down(quiet).has_value());
  }

  TEST_CASE("sending to a subject whose owner is gone is a clear error") {
    Runtime runtime;
    Inbox watcher(runtime);
    auto started = actor::start<int, int>(runtime, 0, ignore).value();
    watcher.monitor(started.pid);
    kill(started.pid);
    REQUIRE(watcher.receive_down(patience).has_value());

    auto result = send(started.subject, 1);
    REQUIRE(result.has_error());
    CHECK(result.error() == Errc::owner_gone);
    CHECK(result.error().message() == "the process that owns this subject has ended");

    std::optional<Subject<int>> orphan;
    {
      Inbox gone(runtime);
      orphan = gone.new_subject<int>();
    }
    CHECK(send(*orphan, 1).error() == Errc::owner_gone);
  }

  TEST_CASE("pids are unique across runtimes") {
    Runtime a;
    Runtime b;
    Inbox in_a(a);
    Inbox in_b(b);
    CHECK(in_a.pid().id() != in_b.pid().id());
    CHECK_FALSE(in_a.pid() == in_b.pid());
  }

  TEST_CASE("monitoring a default Pid is refused on the caller's thread; the Inbox carries on") {
    Runtime runtime;
    Inbox inbox(runtime);
    CHECK_THROWS_AS(inbox.monitor(Pid{}), std::invalid_argument);
    auto subject = inbox.new_subject<int>();
    REQUIRE(send(subject, 3).has_value());
    CHECK(inbox.receive(subject, patience) == 3);
  }

  TEST_CASE("a selector mapping that throws leaves its message in the inbox") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto numbers = inbox.new_subject<int>();
    auto picky = Selector<std::string>().select_map(numbers, [](const int& n) -> std::string {
      if (n < 0) {
        throw std::domain_error("negative");
      }
      return std::to_string(n);
    });
    REQUIRE(send(numbers, -1).has_value());
    CHECK_THROWS_AS(inbox.receive(picky, patience), std::domain_error);
    CHECK(inbox.receive(numbers, patience) == -1);
  }

  TEST_CASE("calls that need the calling process throw NotAProcess on other threads") {
    CHECK_FALSE(is_process());
    CHECK_THROWS_AS(self(), NotAProcess);
    CHECK_THROWS_AS(new_subject<int>(), NotAProcess);
    CHECK_THROWS_WITH_AS(monitor(Pid{}), doctest::Contains("use a dream::process::Inbox"),
                         NotAProcess);
  }

  TEST_CASE("the type system refuses a value of the wrong type") {
    // Checked at compile time: sending a std::string to a Subject<int> does not compile.
    CHECK_FALSE(Sendable<int, std::string>);
    CHECK(Sendable<int, int>);
    CHECK(Sendable<std::string, const char*>);
  }
}

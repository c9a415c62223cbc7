#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "dream/actor.hpp"
#include "dream/services/broadcaster.hpp"
#include "support.hpp"

using namespace dream;
using namespace dream::process;
using namespace test_support;

namespace {

// --- a counter service --------------------------------------------------------------------
struct Add {
  int amount;
};
struct Get {
  Subject<int> reply;
};
struct Crash {};
using CounterMsg = std::variant<Add, Get, Crash>;

actor::Next<int, CounterMsg> counter(int total, const CounterMsg& msg) {
  if (const auto* add = std::get_if<Add>(&msg)) {
    return actor::continue_with(total + add->amount);
  }
  if (const auto* get = std::get_if<Get>(&msg)) {
    (void)send(get->reply, total);
    return actor::continue_with(total);
  }
  throw std::runtime_error("asked to crash");
}

int ask_total(Inbox& inbox, const Subject<CounterMsg>& counter_subject) {
  auto reply = inbox.new_subject<int>();
  REQUIRE(send(counter_subject, Get{reply}).has_value());
  auto total = inbox.receive(reply, patience);
  REQUIRE(total.has_value());
  return *total;
}

// --- an actor that starts with an initialiser and a selector ------------------------------
// It hands the test a second subject of its own, listens to it through a mapping selector,
// and reports what it hears (and whether it ran inside a process) to the test's inbox.
struct Heard {
  std::string what;
  bool inside_process;
};
struct Echo {
  Subject<Heard> report;
};

actor::Initialised<Echo, std::string> echo_init(Subject<std::string> own,
                                                const Subject<Heard>& report) {
  auto numbers = new_subject<int>();
  auto selector = Selector<std::string>().select_map(
      numbers, [](const int& n) { return "number " + std::to_string(n); });
  (void)send(report,
             Heard{"init:" + std::to_string(numbers.tag()), is_process() && self() == own.owner()});
  return {Echo{report}, selector};
}

actor::Next<Echo, std::string> echo(Echo state, const std::string& text) {
  (void)send(state.report, Heard{text, is_process()});
  if (text == "swap") {
    // Replaces the extra selector with an empty one: the numbers subject is no longer heard.
    return actor::continue_with_selector(state, Selector<std::string>());
  }
  return actor::continue_with(state);
}

// --- an actor that watches another through select_monitors --------------------------------
struct Watch {
  Subject<Down> report;
  Pid target;
};
actor::Initialised<Watch, Down> watch_init(Subject<Down>, const Watch& watch) {
  monitor(watch.target);
  return {watch, Selector<Down>().select_monitors([](const Down& d) { return d; })};
}
actor::Next<Watch, Down> watch(Watch state, const Down& down) {
  (void)send(state.report, down);
  return actor::stop();
}

// --- demonitoring: monitor, then demonitor, and forward everything heard -----------------
struct Unwatch {
  Subject<std::string> report;
  Pid target;
};
actor::Initialised<Unwatch, std::string> unwatch_init(Subject<std::string>, const Unwatch& w) {
  monitor(w.target);
  demonitor(w.target);
  (void)send(w.report, "ready");
  return {w,
          Selector<std::string>().select_monitors([](const Down&) { return std::string("down"); })};
}
actor::Next<Unwatch, std::string> forward(Unwatch state, const std::string& heard) {
  (void)send(state.report, heard);
  return actor::continue_with(std::move(state));
}

// --- linking --------------------------------------------------------------------------------
actor::Initialised<int, int> link_init(Subject<int>, const Pid& partner) {
  link(partner);
  return {0, std::nullopt};
}
actor::Next<int, int> idle(int state, const int&) {
  return actor::continue_with(state);
}

// --- state whose destruction is counted ---------------------------------------------------
struct Tracked {
  std::shared_ptr<std::atomic<int>> destroyed;
  Tracked(std::shared_ptr<std::atomic<int>> d) : destroyed(std::move(d)) {}
  Tracked(Tracked&&) noexcept = default;
  Tracked& operator=(Tracked&&) noexcept = default;
  ~Tracked() {
    if (destroyed) {
      destroyed->fetch_add(1);
    }
  }
};
struct TrackedDeps {
  std::shared_ptr<std::atomic<int>> destroyed;
  services::broadcaster::Broadcaster<int> bus;
  Subject<int> ready;
};
actor::Initialised<Tracked, int> tracked_init(Subject<int>, const TrackedDeps& deps) {
  auto channel = services::broadcaster::subscribe(deps.bus);
  (void)send(deps.ready, 1);
  return {Tracked(deps.destroyed), services::broadcaster::channel_to_selector(channel)};
}
actor::Next<Tracked, int> keep_tracked(Tracked state, const int&) {
  return actor::continue_with(std::move(state));
}

// Holds its scheduler thread until the test releases it.
struct Stall {
  std::latch* entered;
  std::latch* release;
};
actor::Next<Stall, int> stall(Stall state, const int&) {
  state.entered->count_down();
  state.release->wait();
  return actor::continue_with(state);
}

// --- a move-only state ----------------------------------------------------------------------
struct AddAndTell {
  int amount;
  Subject<int> reply;
};
actor::Next<std::unique_ptr<int>, AddAndTell> add_and_tell(std::unique_ptr<int> total,
                                                           const AddAndTell& msg) {
  *total += msg.amount;
  (void)send(msg.reply, *total);
  return actor::continue_with(std::move(total));
}

// True when actor::start accepts a handler of type F.
template <class F>
concept StartsWith = requires(Runtime& rt, F f) {
  actor::start<int, int>(rt, 0, f);
};

}  // namespace

TEST_SUITE("actor") {
  TEST_CASE("an actor keeps its state across messages") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto started = actor::start<int, CounterMsg>(runtime, 10, counter);
    REQUIRE(started.has_value());
    for (int i = 1; i <= 100; ++i) {
      REQUIRE(send(started->subject, Add{i}).has_value());
    }
    CHECK(ask_total(inbox, started->subject) == 10 + 5050);
  }

  TEST_CASE("a handler that throws ends only its own actor, with an abnormal Down") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto doomed = actor::start<int, CounterMsg>(runtime, 0, counter).value();
    auto bystander = actor::start<int, CounterMsg>(runtime, 0, counter).value();
    inbox.monitor(doomed.pid);
    REQUIRE(send(doomed.subject, Crash{}).has_value());
    auto down = inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == doomed.pid);
    CHECK_FALSE(down->normal);
    REQUIRE(send(bystander.subject, Add{3}).has_value());
    CHECK(ask_total(inbox, bystander.subject) == 3);
  }

  TEST_CASE("the initialiser runs inside the process and its selector is heard") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto reports = inbox.new_subject<Heard>();
    auto started = actor::start_with_init(runtime, reports, echo_init, echo).value();

    auto init = inbox.receive(reports, patience);
    REQUIRE(init.has_value());
    CHECK(init->inside_process);
    // Rebuild the actor's numbers subject from the tag it reported.
    Subject<int> numbers(started.pid, std::stoull(init->what.substr(5)));

    REQUIRE(send(numbers, 9).has_value());
    CHECK(inbox.receive(reports, patience)->what == "number 9");
    REQUIRE(send(started.subject, "swap").has_value());
    CHECK(inbox.receive(reports, patience)->what == "swap");
    REQUIRE(send(numbers, 10).has_value());  // no longer selected: dropped
    REQUIRE(send(started.subject, "still here").has_value());
    auto next = inbox.receive(reports, patience);
    REQUIRE(next.has_value());
    CHECK(next->what == "still here");
    CHECK(next->inside_process);
  }

  TEST_CASE("an actor receives Down through select_monitors") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto target = actor::start<int, int>(runtime, 0, idle).value();
    auto reports = inbox.new_subject<Down>();
    auto watcher = actor::start_with_init(runtime, Watch{reports, target.pid}, watch_init, watch);
    REQUIRE(watcher.has_value());
    // The watcher may not have run its initialiser yet: kill only after it has monitored,
    // which a Down for an already ended process covers either way.
    kill(target.pid);
    auto down = inbox.receive(reports, patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == target.pid);
    CHECK_FALSE(down->normal);
  }

  TEST_CASE("after demonitor, no Down arrives") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto target = actor::start<int, int>(runtime, 0, idle).value();
    auto reports = inbox.new_subject<std::string>();
    auto watcher =
        actor::start_with_init(runtime, Unwatch{reports, target.pid}, unwatch_init, forward)
            .value();
    REQUIRE(inbox.receive(reports, patience) == "ready");
    inbox.monitor(target.pid);
    kill(target.pid);
    // The watcher's monitor came first: had it survived, its Down would be queued before this.
    REQUIRE(inbox.receive_down(patience).has_value());
    REQUIRE(send(watcher.subject, "ping").has_value());
    CHECK(inbox.receive(reports, patience) == "ping");
  }

  TEST_CASE("a link takes the linked actor down with the killed one") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto first = actor::start<int, int>(runtime, 0, idle).value();
    auto second = actor::start_with_init(runtime, first.pid, link_init, idle).value();
    inbox.monitor(second.pid);
    // Make sure the link exists before the kill: a message to `second` is handled after init.
    Inbox probe(runtime);
    probe.monitor(first.pid);
    REQUIRE(send(second.subject, 0).has_value());
    kill(first.pid);
    REQUIRE(probe.receive_down(patience).has_value());
    auto down = inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == second.pid);
    CHECK_FALSE(down->normal);
  }

  TEST_CASE("a Runtime can borrow the embedding service's actor system") {
    caf::actor_system_config config;
    caf::actor_system system(config);
    {
      Runtime mine(system);
      Runtime theirs(system);
      Inbox inbox(theirs);
      auto started = actor::start<int, CounterMsg>(mine, 1, counter).value();
      CHECK(ask_total(inbox, started.subject) == 1);
      CHECK(mine.process_count() == 1);
      inbox.monitor(started.pid);
      mine.shutdown();
      CHECK(mine.process_count() == 0);
      CHECK_FALSE(started.pid.is_alive());
      REQUIRE(inbox.receive_down(patience).has_value());
      // The borrowed system carries on for its other users.
      auto other = actor::start<int, CounterMsg>(theirs, 2, counter).value();
      CHECK(ask_total(inbox, other.subject) == 2);
    }
    CHECK(&system.config() == &config);
  }

  TEST_CASE("shutdown returns only after every actor's state is destroyed") {
    // A broadcaster in another runtime holds strong references to its subscribers' actors. With
    // that runtime's only scheduler thread held on a latch, it cannot let go of them: state that
    // lived as long as the actor object, rather than the process, would outlive shutdown().
    auto destroyed = std::make_shared<std::atomic<int>>(0);
    Runtime elsewhere(RuntimeConfig{1});
    auto bus = services::broadcaster::start_broadcaster<int>(elsewhere).value();
    Inbox inbox(elsewhere);
    auto ready = inbox.new_subject<int>();
    std::latch entered(1);
    std::latch release(1);
    {
      Runtime runtime;
      for (int i = 0; i < 10; ++i) {
        REQUIRE(actor::start_with_init(runtime, TrackedDeps{destroyed, bus, ready}, tracked_init,
                                       keep_tracked)
                    .has_value());
      }
      for (int i = 0; i < 10; ++i) {
        REQUIRE(inbox.receive(ready, patience).has_value());
      }
      REQUIRE(services::broadcaster::subscriber_count(bus).value() == 10);
      auto staller = actor::start<Stall, int>(elsewhere, Stall{&entered, &release}, stall).value();
      REQUIRE(send(staller.subject, 0).has_value());
      entered.wait();

      runtime.shutdown();
      CHECK(destroyed->load() == 10);
      CHECK(runtime.process_count() == 0);
      release.count_down();
    }
  }

  TEST_CASE("an actor's state may be move-only") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto reply = inbox.new_subject<int>();
    auto started = actor::start<std::unique_ptr<int>, AddAndTell>(
        runtime, std::make_unique<int>(40), add_and_tell);
    REQUIRE(started.has_value());
    REQUIRE(send(started->subject, AddAndTell{2, reply}).has_value());
    CHECK(inbox.receive(reply, patience) == 42);
  }

  TEST_CASE("after shutdown no actor starts, with a clear error") {
    Runtime runtime(RuntimeConfig{2});
    runtime.shutdown();
    auto started = actor::start<int, int>(runtime, 0, idle);
    REQUIRE(started.has_error());
    CHECK(started.error() == Errc::runtime_stopped);
  }

  TEST_CASE("handlers must be plain functions: a capturing lambda does not compile") {
    int captured = 0;
    auto closure = [&captured](int s, const int&) -> actor::Next<int, int> {
      ++captured;
      return actor::continue_with(s);
    };
    CHECK_FALSE(StartsWith<decltype(closure)>);
    CHECK(StartsWith<decltype(&idle)>);
  }
}

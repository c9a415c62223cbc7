#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "dream/actor.hpp"
#include "dream/services/broadcaster.hpp"
#include "support.hpp"

using namespace dream;
using namespace dream::process;
using namespace dream::services;
using namespace test_support;

namespace {

// --- a subscriber actor that reports every delivery ---------------------------------------
// It subscribes in its initialiser, says "ready" (seq -1) once the subscription is sent, and
// then reports (its index, the message's seq) for each message it receives.
struct Report {
  int subscriber;
  int seq;
};
struct Subscriber {
  broadcaster::Broadcaster<Counted> bus;
  Subject<Report> report;
  int index;
};

actor::Initialised<Subscriber, Counted> subscriber_init(Subject<Counted>, const Subscriber& s) {
  auto channel = broadcaster::subscribe(s.bus);
  (void)send(s.report, Report{s.index, -1});
  return {s, broadcaster::channel_to_selector(channel)};
}

actor::Next<Subscriber, Counted> subscriber(Subscriber s, const Counted& message) {
  (void)send(s.report, Report{s.index, message.seq});
  return actor::continue_with(std::move(s));
}

std::vector<actor::Started<Counted>> start_subscribers(Runtime& runtime, Inbox& inbox,
                                                       const broadcaster::Broadcaster<Counted>& bus,
                                                       const Subject<Report>& reports, int n) {
  std::vector<actor::Started<Counted>> started;
  for (int i = 0; i < n; ++i) {
    started.push_back(
        actor::start_with_init(runtime, Subscriber{bus, reports, i}, subscriber_init, subscriber)
            .value());
  }
  // Each subscription was sent before its "ready": publishing after all of them are ready
  // reaches every subscriber.
  for (int i = 0; i < n; ++i) {
    auto ready = inbox.receive(reports, patience);
    REQUIRE(ready.has_value());
    REQUIRE(ready->seq == -1);
  }
  return started;
}

// --- a subscriber that checks per-publisher order -----------------------------------------
struct Sequenced {
  int publisher;
  int n;
};
struct OrderCheck {
  broadcaster::Broadcaster<Sequenced> bus;
  Subject<int> done;  // receives the number of order violations once all arrived
  int expected_total;
  std::map<int, int> next;  // publisher -> the n it expects next
  int received = 0;
  int violations = 0;
};

actor::Initialised<OrderCheck, Sequenced> order_init(Subject<Sequenced>, const OrderCheck& s) {
  auto channel = broadcaster::subscribe(s.bus);
  (void)send(s.done, -1);
  return {s, broadcaster::channel_to_selector(channel)};
}

actor::Next<OrderCheck, Sequenced> order_check(OrderCheck s, const Sequenced& m) {
  if (m.n != s.next[m.publisher]) {
    ++s.violations;
  }
  s.next[m.publisher] = m.n + 1;
  if (++s.received == s.expected_total) {
    (void)send(s.done, s.violations);
  }
  return actor::continue_with(std::move(s));
}

// Waits, with round trips and a deadline (no sleeping), until the broadcaster counts `n`.
template <class T>
bool subscriber_count_becomes(const broadcaster::Broadcaster<T>& bus, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    if (broadcaster::subscriber_count(bus).value() == n) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_SUITE("broadcaster") {
  TEST_CASE("1,000 subscribers each get every message exactly once") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<Counted>(runtime).value();
    auto reports = inbox.new_subject<Report>();
    constexpr int subscribers = 1000;
    constexpr int messages = 5;
    auto started = start_subscribers(runtime, inbox, bus, reports, subscribers);
    CHECK(broadcaster::subscriber_count(bus).value() == subscribers);

    for (int m = 0; m < messages; ++m) {
      REQUIRE(broadcaster::publish(bus, Counted(m)).has_value());
    }
    std::vector<std::vector<int>> seen(subscribers);
    for (int i = 0; i < subscribers * messages; ++i) {
      auto report = inbox.receive(reports, patience);
      REQUIRE(report.has_value());
      seen.at(report->subscriber).push_back(report->seq);
    }
    CHECK_FALSE(inbox.receive(reports, quiet).has_value());  // no duplicates
    for (const auto& s : seen) {
      CHECK(s == std::vector<int>{0, 1, 2, 3, 4});
    }
  }

  TEST_CASE("subscribers that end are dropped with no unsubscribe call") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<Counted>(runtime).value();
    auto reports = inbox.new_subject<Report>();
    auto started = start_subscribers(runtime, inbox, bus, reports, 100);
    REQUIRE(broadcaster::subscriber_count(bus).value() == 100);

    for (int i = 0; i < 100; i += 2) {
      kill(started[i].pid);
    }
    CHECK(subscriber_count_becomes(bus, 50));

    REQUIRE(broadcaster::publish(bus, Counted(7)).has_value());
    std::set<int> reached;
    for (int i = 0; i < 50; ++i) {
      auto report = inbox.receive(reports, patience);
      REQUIRE(report.has_value());
      CHECK(report->seq == 7);
      reached.insert(report->subscriber);
    }
    CHECK_FALSE(inbox.receive(reports, quiet).has_value());
    CHECK(reached.size() == 50);
    CHECK(std::all_of(reached.begin(), reached.end(), [](int i) { return i % 2 == 1; }));
  }

  TEST_CASE("messages from one publisher arrive in publish order (10,000 each, 2 publishers)") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<Sequenced>(runtime).value();
    auto done = inbox.new_subject<int>();
    constexpr int per_publisher = 10000;
    constexpr int subscribers = 4;
    for (int i = 0; i < subscribers; ++i) {
      REQUIRE(actor::start_with_init(runtime, OrderCheck{bus, done, 2 * per_publisher, {}},
                                     order_init, order_check)
                  .has_value());
    }
    for (int i = 0; i < subscribers; ++i) {
      REQUIRE(inbox.receive(done, patience) == -1);
    }
    auto publish_all = [&bus](int publisher) {
      for (int n = 0; n < per_publisher; ++n) {
        (void)broadcaster::publish(bus, Sequenced{publisher, n});
      }
    };
    std::thread a(publish_all, 0);
    std::thread b(publish_all, 1);
    a.join();
    b.join();
    for (int i = 0; i < subscribers; ++i) {
      auto violations = inbox.receive(done, patience);
      REQUIRE(violations.has_value());
      CHECK(*violations == 0);
    }
  }

  TEST_CASE("a publish to 1,000 subscribers copies the payload zero times") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<Counted>(runtime).value();
    auto reports = inbox.new_subject<Report>();
    auto started = start_subscribers(runtime, inbox, bus, reports, 1000);
    Counted::copies = 0;
    REQUIRE(broadcaster::publish(bus, Counted(1)).has_value());
    for (int i = 0; i < 1000; ++i) {
      REQUIRE(inbox.receive(reports, patience).has_value());
    }
    CHECK(Counted::copies == 0);
  }

  TEST_CASE("a burst of publishes (delivered in batches) reaches 1,000 subscribers uncopied") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<Counted>(runtime).value();
    auto reports = inbox.new_subject<Report>();
    auto started = start_subscribers(runtime, inbox, bus, reports, 1000);
    Counted::copies = 0;
    for (int seq = 0; seq < 50; ++seq) {
      REQUIRE(broadcaster::publish(bus, Counted(seq)).has_value());
    }
    std::vector<int> next(1000, 0);
    int wrong = 0;
    for (int i = 0; i < 1000 * 50; ++i) {
      auto report = inbox.receive(reports, patience);
      REQUIRE(report.has_value());
      wrong += report->seq != next[report->subscriber]++;
    }
    CHECK(wrong == 0);
    CHECK(Counted::copies == 0);
  }

  TEST_CASE("a subscription taken mid-burst gets exactly what was published after it") {
    // Publishes wait to be fanned out in a batch; a subscription must not see the ones
    // published before it, even those still waiting.
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<int>(runtime).value();
    auto early = broadcaster::subscribe(bus, inbox);
    for (int n = 0; n < 100; ++n) {
      REQUIRE(broadcaster::publish(bus, n).has_value());
    }
    auto late = broadcaster::subscribe(bus, inbox);
    for (int n = 100; n < 200; ++n) {
      REQUIRE(broadcaster::publish(bus, n).has_value());
    }
    for (int n = 0; n < 200; ++n) {
      REQUIRE(inbox.receive(early.subject(), patience) == n);
    }
    for (int n = 100; n < 200; ++n) {
      REQUIRE(inbox.receive(late.subject(), patience) == n);
    }
    CHECK_FALSE(inbox.receive(late.subject(), quiet).has_value());
  }

  TEST_CASE("an Inbox subscribes, receives, and unsubscribes") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<std::string>(runtime).value();
    auto channel = broadcaster::subscribe(bus, inbox);
    CHECK(broadcaster::subscriber_count(bus).value() == 1);
    REQUIRE(broadcaster::publish(bus, "hi").has_value());
    CHECK(inbox.receive(channel.subject(), patience) == "hi");

    REQUIRE(broadcaster::unsubscribe(bus, channel).has_value());
    CHECK(broadcaster::subscriber_count(bus).value() == 0);
    REQUIRE(broadcaster::publish(bus, "gone").has_value());
    CHECK_FALSE(inbox.receive(channel.subject(), quiet).has_value());
  }

  TEST_CASE("subscribing from a thread that is not a process is a clear error") {
    Runtime runtime;
    auto bus = broadcaster::start_broadcaster<int>(runtime).value();
    CHECK_THROWS_AS(broadcaster::subscribe(bus), NotAProcess);
    CHECK(broadcaster::subscriber_count(bus).value() == 0);
  }

  TEST_CASE("once stop_broadcaster returns, every call is refused at once") {
    Runtime runtime;
    auto bus = broadcaster::start_broadcaster<int>(runtime).value();
    REQUIRE(broadcaster::stop_broadcaster(bus).has_value());
    CHECK(broadcaster::publish(bus, 1).error() == Errc::broadcaster_stopped);
    CHECK(broadcaster::subscriber_count(bus).error() == Errc::broadcaster_stopped);
    Inbox inbox(runtime);
    auto channel = broadcaster::subscribe(bus, inbox);  // logs; the channel receives nothing
    CHECK_FALSE(inbox.receive(channel.subject(), quiet).has_value());
  }

  TEST_CASE("subscriber_count after the runtime is shut down is an error, not a throw") {
    Runtime runtime;
    auto bus = broadcaster::start_broadcaster<int>(runtime).value();
    runtime.shutdown();
    auto count = broadcaster::subscriber_count(bus);
    REQUIRE(count.has_error());
    CHECK(count.error() == Errc::broadcaster_stopped);
  }

  TEST_CASE("subscribers from two runtimes are told apart and both dropped when they end") {
    Runtime home;
    Runtime elsewhere;
    auto bus = broadcaster::start_broadcaster<int>(home).value();
    {
      Inbox first(home);
      Inbox second(elsewhere);
      auto a = broadcaster::subscribe(bus, first);
      auto b = broadcaster::subscribe(bus, second);
      CHECK(broadcaster::subscriber_count(bus).value() == 2);
      REQUIRE(broadcaster::publish(bus, 5).has_value());
      CHECK(first.receive(a.subject(), patience) == 5);
      CHECK(second.receive(b.subject(), patience) == 5);
    }
    CHECK(subscriber_count_becomes(bus, 0));
  }

  TEST_CASE("a stopped broadcaster refuses with broadcaster_stopped and does not crash") {
    Runtime runtime;
    Inbox inbox(runtime);
    auto bus = broadcaster::start_broadcaster<int>(runtime).value();
    auto channel = broadcaster::subscribe(bus, inbox);
    REQUIRE(broadcaster::publish(bus, 1).has_value());
    inbox.monitor(bus.pid());
    REQUIRE(broadcaster::stop_broadcaster(bus).has_value());
    auto down = inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->normal);
    // What was published before stop was delivered.
    CHECK(inbox.receive(channel.subject(), patience) == 1);

    auto result = broadcaster::publish(bus, 2);
    REQUIRE(result.has_error());
    CHECK(result.error() == Errc::broadcaster_stopped);
    CHECK(broadcaster::subscriber_count(bus).error() == Errc::broadcaster_stopped);
    CHECK(broadcaster::unsubscribe(bus, channel).error() == Errc::broadcaster_stopped);
    CHECK(broadcaster::stop_broadcaster(bus).error() == Errc::broadcaster_stopped);
  }
}

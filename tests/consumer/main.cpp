// Built against the installed tree by tests/consumer/check.cmake: proves that the headers,
// the library and the CMake package config are installed and usable.
#include <chrono>
#include <cstdio>
#include <string>

#include <dream/process.hpp>
#include <dream/services/broadcaster.hpp>

int main() {
  using namespace dream;
  Runtime runtime;
  process::Inbox inbox(runtime);
  auto bus = services::broadcaster::start_broadcaster<std::string>(runtime).value();
  auto channel = services::broadcaster::subscribe(bus, inbox);
  (void)services::broadcaster::publish(bus, "installed and working");
  auto message = inbox.receive(channel.subject(), std::chrono::seconds(10));
  if (!message || *message != "installed and working") {
    std::fputs("consumer: the message did not arrive\n", stderr);
    return 1;
  }
  std::puts(message->c_str());
  return 0;
}

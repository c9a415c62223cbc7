#pragma once

#include <sys/types.h>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

/// The built websocket_chat program as a real child process (fork/exec), started with
/// `--port 0` plus `args`; its port is read from its banner, its first line on stdout.
/// Every wait is bounded; failures throw std::runtime_error. The destructor kills and reaps it.
class ChatProgram {
 public:
  /// Starts `program` and waits at most `patience` for its banner; throws std::runtime_error
  /// (with whatever the program printed) if it exits or stays silent instead.
  ChatProgram(std::string program, std::vector<std::string> args,
              std::chrono::milliseconds patience = std::chrono::seconds(20));
  ~ChatProgram();
  ChatProgram(const ChatProgram&) = delete;
  ChatProgram& operator=(const ChatProgram&) = delete;

  /// The port the program listens on (127.0.0.1 unless `--host` says otherwise).
  std::uint16_t port() const noexcept { return port_; }
  /// The child's process id; -1 once it has been stopped and reaped.
  pid_t pid() const noexcept { return pid_; }

  /// True while the program runs. Once it has exited it is reaped: false from then on.
  bool running();

  /// Sends `signal` and waits at most `patience` for the program to exit; returns its wait
  /// status. On timeout the program is killed and std::runtime_error is thrown.
  int stop_with(int signal, std::chrono::milliseconds patience = std::chrono::seconds(20));

  /// Everything the program has written to stdout so far, its banner first. After stop_with,
  /// everything it ever wrote.
  std::string output() const;

 private:
  // Collects stdout on its own thread, so a chatty program never blocks on a full pipe.
  void drain(int fd);
  // SIGKILLs and reaps the child (if still running) and joins the drain thread.
  void terminate() noexcept;
  // Waits at most `patience` for the drain thread to see end of file.
  bool wait_for_end_of_output(std::chrono::milliseconds patience);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool end_of_output_ = false;
  int wake_read_ = -1;  // written to stop the drain thread when the pipe never ends
  int wake_write_ = -1;
  std::thread drainer_;
};

/// The port in a banner such as "Dream WebSocket Chat: open http://127.0.0.1:PORT/ in your
/// browser" (or https://); throws std::runtime_error quoting the line when it holds no valid port.
std::uint16_t port_from_banner(const std::string& line);

}  // namespace test_support

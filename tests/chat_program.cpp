#include "chat_program.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <future>
#include <stdexcept>

namespace test_support {

namespace {

std::runtime_error system_failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

std::string in_words(std::chrono::milliseconds patience) {
  return std::to_string(patience.count()) + " ms";
}

}  // namespace

std::uint16_t port_from_banner(const std::string& line) {
  auto scheme = line.find("http://");
  auto authority = scheme + 7;
  if (scheme == std::string::npos) {
    scheme = line.find("https://");  // the program serves TLS
    authority = scheme + 8;
  }
  if (scheme != std::string::npos) {
    const auto slash = line.find('/', authority);
    const auto colon = line.rfind(':', slash);  // after any IPv6 brackets
    if (slash != std::string::npos && colon != std::string::npos && colon >= authority) {
      unsigned port = 0;
      const char* first = line.data() + colon + 1;
      const char* last = line.data() + slash;
      auto [end, error] = std::from_chars(first, last, port);
      if (error == std::errc() && end == last && port > 0 && port <= 65535) {
        return static_cast<std::uint16_t>(port);
      }
    }
  }
  throw std::runtime_error("no port in the program's banner: \"" + line + "\"");
}

ChatProgram::ChatProgram(std::string program, std::vector<std::string> args,
                         std::chrono::milliseconds patience) {
  int out[2];
  // Close-on-exec, so other children of this process never hold the pipe open.
  if (::pipe2(out, O_CLOEXEC) != 0) {
    throw system_failure("pipe2");
  }
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    throw system_failure("pipe2");
  }
  wake_read_ = wake[0];
  wake_write_ = wake[1];
  args.insert(args.begin(), {program, "--port", "0"});
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) {
    const auto failure = system_failure("fork");
    ::close(out[0]);
    ::close(out[1]);
    terminate();
    throw failure;
  }
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec (this process may have threads).
    ::dup2(out[1], STDOUT_FILENO);  // the copy is not close-on-exec
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  drainer_ = std::thread([this, fd = out[0]] { drain(fd); });

  std::unique_lock lock(mutex_);
  const bool answered = changed_.wait_for(
      lock, patience, [this] { return output_.find('\n') != std::string::npos || end_of_output_; });
  const auto newline = output_.find('\n');
  const std::string printed = output_;
  lock.unlock();
  if (newline == std::string::npos) {
    terminate();
    throw std::runtime_error(program +
                             (answered ? " exited before printing its banner"
                                       : " printed no banner within " + in_words(patience)) +
                             "; its output: \"" + printed + "\"");
  }
  try {
    port_ = port_from_banner(printed.substr(0, newline));
  } catch (...) {
    terminate();
    throw;
  }
}

ChatProgram::~ChatProgram() {
  terminate();
}

void ChatProgram::drain(int fd) {
  pollfd watched[2] = {{fd, POLLIN, 0}, {wake_read_, POLLIN, 0}};
  char chunk[4096];
  for (;;) {
    if (::poll(watched, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    if (watched[1].revents != 0) {
      break;  // terminate() gave up waiting for end of file
    }
    const auto n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    std::lock_guard lock(mutex_);
    output_.append(chunk, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  ::close(fd);
  std::lock_guard lock(mutex_);
  end_of_output_ = true;
  changed_.notify_all();
}

bool ChatProgram::wait_for_end_of_output(std::chrono::milliseconds patience) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, patience, [this] { return end_of_output_; });
}

void ChatProgram::terminate() noexcept {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (drainer_.joinable()) {
    // The pipe ends when the program does; should something else still hold it, stop anyway.
    if (!wait_for_end_of_output(std::chrono::seconds(5))) {
      (void)!::write(wake_write_, "x", 1);
    }
    drainer_.join();
  }
  for (int* fd : {&wake_read_, &wake_write_}) {
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
  }
}

bool ChatProgram::running() {
  if (pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == pid_) {
    pid_ = -1;
  }
  return pid_ > 0;
}

int ChatProgram::stop_with(int signal, std::chrono::milliseconds patience) {
  if (pid_ <= 0) {
    throw std::runtime_error("the chat program is not running");
  }
  if (::kill(pid_, signal) != 0) {
    throw system_failure("kill");
  }
  auto exited = std::async(std::launch::async, [pid = pid_] {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
  });
  if (exited.wait_for(patience) != std::future_status::ready) {
    ::kill(pid_, SIGKILL);  // lets the waiting thread finish, so the future can be destroyed
    (void)exited.get();
    pid_ = -1;
    throw std::runtime_error("the chat program did not exit within " + in_words(patience) +
                             " of signal " + std::to_string(signal));
  }
  pid_ = -1;
  const int status = exited.get();
  (void)wait_for_end_of_output(patience);  // the pipe ends with the program: its last lines
  return status;
}

std::string ChatProgram::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

}  // namespace test_support

#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "chat_client.hpp"

// One virtual client of the soak scenario: a connection that does one kind of thing, counted.
namespace dream_bench::soak {

/// What a session does with its connection.
enum class Kind {
  chat,         // a few messages, each awaited back, then a clean close
  drop_fin,     // ends without a close frame: TCP close (right away, after a message, mid-frame)
  drop_rst,     // the same with a TCP reset (SO_LINGER 0)
  slow_reader,  // stops reading while the others chat, later closes
  steady,       // chats for the whole run
};
const char* name_of(Kind kind);

/// What every session adds to; printed as one JSON line at the end.
struct Totals {
  std::uint64_t opened = 0;
  std::uint64_t sent = 0;    // chat texts
  std::uint64_t echoed = 0;  // own texts that came back
  std::uint64_t frames = 0;  // every frame received
  std::uint64_t clean_closes = 0;
  std::uint64_t drops_fin = 0;
  std::uint64_t drops_rst = 0;
  std::uint64_t drops_mid_frame = 0;  // of either kind
  std::uint64_t slow_readers = 0;
  std::uint64_t slow_closed_by_server = 0;  // expected: the server may shed a slow reader
  std::uint64_t errors = 0;
  std::string first_error;

  void error(const std::string& what);
};

/// How sessions behave, from the command line.
struct Settings {
  boost::asio::ip::tcp::endpoint server;
  std::string source;                       // local address to connect from, or ""
  std::size_t size = 512;                   // bytes per chat text
  std::chrono::milliseconds interval{50};   // a steady chatter's pause between texts
  std::chrono::seconds slow_hold{60};       // longest a slow reader stays silent
  std::chrono::seconds answer_timeout{10};  // for an own text to come back, a close answered
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::io_context& io, const Settings& settings, Totals& totals,
          std::mt19937& random, Kind kind, std::string name, std::function<void()> finished);

  /// Connects and starts doing what its kind does.
  void start();
  /// The run is over: steady chatters and slow readers close now; the others end what they
  /// are doing first.
  void stop();
  /// True if the session ended in an error (counted in Totals).
  bool failed() const noexcept { return failed_; }

 private:
  void on_open(const std::string& error);
  void on_text(std::string_view frame);
  void on_end(std::uint16_t code);
  void send_next();
  void drop_after_write();
  void close_cleanly();
  void fail(const std::string& what);
  // Counted once: drops the socket and tells the soak, after this turn of the io_context.
  void finish();
  int between(int low, int high);

  boost::asio::io_context& io_;
  const Settings& settings_;
  Totals& totals_;
  std::mt19937& random_;
  const Kind kind_;
  const std::string name_;
  std::function<void()> finished_callback_;
  std::shared_ptr<ChatClient> client_;
  boost::asio::steady_timer pause_;     // think time, or a slow reader's silence
  boost::asio::steady_timer watchdog_;  // an answer the server owes
  std::string awaited_;                 // the own text on its way back, or ""
  std::uint64_t seq_ = 0;
  int left_ = 0;  // texts a chat session still sends
  bool open_ = false;
  bool stopping_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool failed_ = false;
};

}  // namespace dream_bench::soak

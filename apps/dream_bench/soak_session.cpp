#include "soak_session.hpp"

#include <fmt/core.h>

#include <boost/asio/post.hpp>

#include "wire.hpp"

namespace dream_bench::soak {

namespace net = boost::asio;

const char* name_of(Kind kind) {
  switch (kind) {
    case Kind::chat:
      return "chat";
    case Kind::drop_fin:
      return "drop-fin";
    case Kind::drop_rst:
      return "drop-rst";
    case Kind::slow_reader:
      return "slow";
    case Kind::steady:
      return "steady";
  }
  return "?";
}

void Totals::error(const std::string& what) {
  if (errors++ == 0) {
    first_error = what;
  }
  if (errors <= 20) {
    fmt::print(stderr, "dream_bench soak: error: {}\n", what);
  }
}

Session::Session(net::io_context& io, const Settings& settings, Totals& totals,
                 std::mt19937& random, Kind kind, std::string name, std::function<void()> finished)
    : io_(io),
      settings_(settings),
      totals_(totals),
      random_(random),
      kind_(kind),
      name_(std::move(name)),
      finished_callback_(std::move(finished)),
      pause_(io),
      watchdog_(io) {}

int Session::between(int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(random_);
}

void Session::start() {
  // Callbacks hold the session weakly: a finished session's client may still complete an
  // operation after the soak has let go of it.
  std::weak_ptr<Session> weak = shared_from_this();
  client_ = std::make_shared<ChatClient>(io_, [weak](std::string_view frame) {
    if (auto self = weak.lock()) {
      self->on_text(frame);
    }
  });
  client_->on_end([weak](std::uint16_t code) {
    if (auto self = weak.lock()) {
      self->on_end(code);
    }
  });
  // Announced members: every join and leave is broadcast, as in the real chat.
  client_->connect(settings_.server, settings_.source, "/chat?user=" + name_,
                   [weak](const std::string& error) {
                     if (auto self = weak.lock()) {
                       self->on_open(error);
                     }
                   });
}

void Session::stop() {
  stopping_ = true;
  if (!open_ || finished_ || closing_) {
    return;  // on_open, or what is under way, ends it
  }
  if (kind_ == Kind::slow_reader || awaited_.empty()) {
    close_cleanly();  // otherwise after the awaited text is back
  }
}

void Session::on_open(const std::string& error) {
  if (finished_) {
    return;
  }
  if (!error.empty()) {
    return fail("handshake: " + error);
  }
  open_ = true;
  ++totals_.opened;
  if (stopping_ && (kind_ == Kind::chat || kind_ == Kind::steady)) {
    return close_cleanly();
  }
  switch (kind_) {
    case Kind::chat:
      left_ = between(1, 5);
      return send_next();
    case Kind::steady:
      return send_next();
    case Kind::drop_fin:
    case Kind::drop_rst:
      return drop_after_write();
    case Kind::slow_reader:
      ++totals_.slow_readers;
      client_->pause_reading();
      if (stopping_) {
        return close_cleanly();
      }
      pause_.expires_after(std::chrono::milliseconds(between(
          5000,
          static_cast<int>(std::max<std::int64_t>(settings_.slow_hold.count() * 1000, 5000)))));
      pause_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && !self->finished_) {
          self->close_cleanly();
        }
      });
      return;
  }
}

void Session::send_next() {
  auto text = name_ + ' ' + std::to_string(seq_++) + ' ';
  if (text.size() < settings_.size) {
    text.append(settings_.size - text.size(), 'x');
  }
  awaited_ = text;
  client_->send(std::move(text));
  ++totals_.sent;
  watchdog_.expires_after(settings_.answer_timeout);
  watchdog_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec && !self->finished_) {
      self->fail(
          fmt::format("own text not back within {} s", self->settings_.answer_timeout.count()));
    }
  });
}

void Session::on_text(std::string_view frame) {
  ++totals_.frames;
  if (finished_ || awaited_.empty()) {
    return;
  }
  const auto event = parse_event(frame);
  if (event.type != "message" || event.user != name_ || event.text != awaited_) {
    return;  // everyone else's traffic, and joins and leaves
  }
  awaited_.clear();
  ++totals_.echoed;
  watchdog_.cancel();
  if (stopping_ || (kind_ == Kind::chat && --left_ == 0)) {
    return close_cleanly();
  }
  pause_.expires_after(kind_ == Kind::steady ? settings_.interval
                                             : std::chrono::milliseconds(between(20, 300)));
  pause_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->finished_) {
      return;
    }
    if (self->stopping_) {
      return self->close_cleanly();
    }
    self->send_next();
  });
}

void Session::drop_after_write() {
  const bool reset = kind_ == Kind::drop_rst;
  // Held by the client (its on_written), so it holds the session weakly: no cycle.
  auto drop = [weak = weak_from_this(), reset] {
    auto self = weak.lock();
    if (!self || self->finished_) {
      return;
    }
    ++(reset ? self->totals_.drops_rst : self->totals_.drops_fin);
    reset ? self->client_->reset() : self->client_->drop();
    self->finish();
  };
  // Right after the handshake, after a whole text, or in the middle of one.
  switch (between(0, 2)) {
    case 0:
      return drop();
    case 1:
      client_->send(name_ + " leaves without a word");
      break;
    default:
      ++totals_.drops_mid_frame;
      client_->send_truncated(name_ + " is cut off in the middle of this " +
                              std::string(settings_.size, 'x'));
      break;
  }
  client_->on_written(drop);
}

void Session::close_cleanly() {
  if (closing_ || finished_) {
    return;
  }
  closing_ = true;
  pause_.cancel();
  watchdog_.cancel();
  // A slow reader reads again: the server's close reply waits behind its backlog.
  client_->resume_reading();
  client_->close(1000);
  const auto patience =
      kind_ == Kind::slow_reader ? 3 * settings_.answer_timeout : settings_.answer_timeout;
  watchdog_.expires_after(patience);
  watchdog_.async_wait([self = shared_from_this(), patience](boost::system::error_code ec) {
    if (!ec && !self->finished_) {
      self->fail(fmt::format("close not answered within {} s", patience.count()));
    }
  });
}

void Session::on_end(std::uint16_t code) {
  if (finished_ || !open_) {
    return;  // a failed handshake was reported by on_open
  }
  if (closing_ && code == 1000) {
    ++totals_.clean_closes;
  } else if (kind_ == Kind::slow_reader) {
    // Expected: the server may close (1008, 1013) or cut a connection that does not read.
    ++totals_.slow_closed_by_server;
  } else {
    return fail(fmt::format("the server ended the connection ({})", code));
  }
  finish();
}

void Session::fail(const std::string& what) {
  if (finished_) {
    return;
  }
  failed_ = true;
  totals_.error(fmt::format("{} ({}): {}", name_, name_of(kind_), what));
  finish();
}

void Session::finish() {
  if (finished_) {
    return;
  }
  finished_ = true;
  pause_.cancel();
  watchdog_.cancel();
  if (client_) {
    client_->drop();
  }
  net::post(io_, [self = shared_from_this()] { self->finished_callback_(); });
}

}  // namespace dream_bench::soak

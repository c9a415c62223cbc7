#include "listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "../../log.hpp"
#include "http_session.hpp"

namespace dream::servers::beast::detail {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint,
                   std::shared_ptr<SharedState> state)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      backoff_(acceptor_.get_executor()),
      state_(std::move(state)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void Listener::run() {
  net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
}

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->backoff_.cancel();
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(
      net::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void Listener::log_refusal() {
  // One line a second at most, with how many were refused meanwhile: a flood of connections
  // at the limit must not become a flood of log lines too.
  ++refusals_unlogged_;
  const auto now = std::chrono::steady_clock::now();
  if (now - refusal_logged_ >= std::chrono::seconds(1)) {
    dream::detail::log_error(
        "http 503: server at its connection limit (ServerConfig::max_connections = {}); {} "
        "connection(s) refused since the last such line",
        state_->config().max_connections, refusals_unlogged_);
    refusals_unlogged_ = 0;
    refusal_logged_ = now;
  }
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
    return;  // stopped
  }
  if (ec) {
    // Out of file descriptors, say: this client is lost, the others carry on. Wait a little
    // before accepting again, rather than spinning on the same error.
    dream::detail::log_error("http accept: {}; retrying in 100 ms", ec.message());
    backoff_.expires_after(std::chrono::milliseconds(100));
    backoff_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec && self->acceptor_.is_open()) {
        self->do_accept();
      }
    });
    return;
  } else {
    // Frames and responses are written whole (and coalesced by us), so waiting for Nagle's
    // algorithm only adds latency: a 64-byte chat round trip took 44 ms with it.
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto* tls = state_->tls();
    Transport transport = tls ? Transport(std::move(socket), *tls) : Transport(std::move(socket));
    auto& counters = state_->counters();
    Counters::add(counters.connections_accepted_total);
    if (counters.connections_open.load(std::memory_order_relaxed) >=
        state_->config().max_connections) {
      // Over the limit: the client is told so (503, logged) rather than left hanging, on a
      // connection that holds no place and closes once the answer is out.
      Counters::add(counters.connections_refused_total);
      log_refusal();
      auto session = std::make_shared<HttpSession>(std::move(transport), state_, ConnectionSlot());
      state_->join(session);
      session->refuse_at_capacity();
    } else {
      auto session =
          std::make_shared<HttpSession>(std::move(transport), state_, ConnectionSlot(counters));
      state_->join(session);
      session->run();
    }
  }
  do_accept();
}

}  // namespace dream::servers::beast::detail

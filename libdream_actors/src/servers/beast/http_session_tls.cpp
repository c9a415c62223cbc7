// HttpSession over TLS: the server handshake before the first request, bounded by the request
// timeout. The end of a connection is plain HTTP's (on_write, linger): TCP's FIN without TLS's
// close_notify, since OpenSSL's shutdown would not read and drop what the client still sends
// (a refused body), and closing on unread bytes resets the connection under the answer. Every
// response has a length or is chunked, so the client knows it has it all.
#include <boost/asio/ssl/error.hpp>

#include "../../log.hpp"
#include "http_session.hpp"

namespace dream::servers::beast::detail {

namespace beast = boost::beast;

void HttpSession::handshake() {
  // A client that connects and never finishes its handshake holds a socket: it gets the time
  // a request would.
  // The peer is noted now: a socket the deadline has closed no longer knows it.
  beast::error_code ignored;
  const auto peer = stream_.socket().remote_endpoint(ignored);
  stream_.expires_after(state_->config().request_timeout);
  stream_.async_handshake([self = shared_from_this(), peer](beast::error_code ec) {
    if (!ec) {
      return self->do_read();
    }
    if (!self->state_->stopping()) {
      // Plain HTTP sent to the TLS port ends here too ("http request").
      const auto why = self->stream_.timed_out()
                           ? "not completed within " +
                                 std::to_string(self->state_->config().request_timeout.count()) +
                                 " s"
                           : ec.message();
      dream::detail::log_error("https from {}:{}: TLS handshake failed: {}; closing",
                               peer.address().to_string(), peer.port(), why);
    }
    self->stream_.close();
  });
}

}  // namespace dream::servers::beast::detail

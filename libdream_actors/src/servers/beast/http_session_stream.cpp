// HttpSession's streamed responses: the head with Transfer-Encoding: chunked, then the
// producer's chunks, each asked for only once the previous one is on the socket.
#include <exception>
#include <utility>

#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/write.hpp>

#include "../../log.hpp"
#include "http_session.hpp"

namespace dream::servers::beast::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

void HttpSession::stream_body(http::Response response, bool keep_alive, bool head) {
  stream_head_ = {};
  stream_head_.version(11);
  stream_head_.result(response.status);
  for (const auto& [name, value] : response.headers) {
    stream_head_.insert(name, value);
  }
  stream_head_.keep_alive(keep_alive);
  stream_head_.chunked(true);  // HEAD too: the headers GET would send
  body_stream_ = head ? nullptr : std::move(response.stream);
  stream_serializer_.emplace(stream_head_);
  stream_.expires_after(state_->config().request_timeout);
  bhttp::async_write_header(
      stream_, *stream_serializer_,
      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
        if (ec || !self->body_stream_) {
          return self->on_write(keep_alive, ec);  // HEAD ends here
        }
        self->write_next_chunk(keep_alive);
      });
}

void HttpSession::write_next_chunk(bool keep_alive) {
  std::optional<std::string> chunk;
  try {
    do {
      chunk = body_stream_->next_chunk();
    } while (chunk && chunk->empty());  // an empty chunk would read as the end
  } catch (const std::exception& e) {
    dream::detail::log_error("http: a streamed body's producer threw: {}; closing the connection",
                             e.what());
    return on_write(false, net::error::connection_aborted);
  } catch (...) {
    dream::detail::log_error(
        "http: a streamed body's producer threw a non-standard exception; closing the connection");
    return on_write(false, net::error::connection_aborted);
  }
  if (!chunk) {
    return end_stream(keep_alive);
  }
  chunk_ = std::move(*chunk);
  // Each chunk has the request timeout to reach the socket: a client that stops reading is
  // dropped then, and the producer is never asked for more than the socket has taken.
  stream_.expires_after(state_->config().request_timeout);
  net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk_)),
                   [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                     if (ec) {
                       return self->on_write(false, ec);  // the client left: stop producing
                     }
                     self->write_next_chunk(keep_alive);
                   });
}

void HttpSession::end_stream(bool keep_alive) {
  body_stream_.reset();  // the producer's state goes now, not when the connection does
  chunk_.clear();
  chunk_.shrink_to_fit();
  stream_.expires_after(state_->config().request_timeout);
  net::async_write(stream_, bhttp::make_chunk_last(),
                   [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                     self->on_write(keep_alive, ec);
                   });
}

}  // namespace dream::servers::beast::detail

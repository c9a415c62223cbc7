#include "http_client.hpp"

#include <chrono>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "dream/http/headers.hpp"

namespace test_support {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string HttpReply::header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (dream::http::iequals(n, name)) {
      return v;
    }
  }
  return {};
}

struct HttpClient::Impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

HttpClient::~HttpClient() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

HttpReply HttpClient::request(const std::string& method, const std::string& target,
                              const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) {
    req.set(name, value);
  }
  if (!body.empty()) {
    req.body() = body;
    req.prepare_payload();
  }
  impl_->stream.expires_after(std::chrono::seconds(10));
  bhttp::write(impl_->stream, req);

  bhttp::response_parser<bhttp::string_body> parser;
  parser.skip(method == "HEAD");  // a HEAD response has Content-Length but no body
  parser.body_limit(64 * 1024 * 1024);
  bhttp::read(impl_->stream, impl_->buffer, parser);
  auto& res = parser.get();
  HttpReply reply;
  reply.status = res.result_int();
  for (const auto& field : res) {
    reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  reply.body = res.body();
  reply.keep_alive = res.keep_alive();
  return reply;
}

bool HttpClient::closed_by_server() {
  impl_->stream.expires_after(std::chrono::seconds(10));
  char byte;
  beast::error_code ec;
  impl_->stream.read_some(net::buffer(&byte, 1), ec);
  return ec == net::error::eof || ec == net::error::connection_reset;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  stream.expires_after(std::chrono::seconds(10));
  net::write(stream, net::buffer(bytes));
  std::string received;
  beast::error_code ec;
  char chunk[4096];
  while (!ec) {
    const auto n = stream.read_some(net::buffer(chunk), ec);
    received.append(chunk, n);
  }
  return received;
}

}  // namespace test_support

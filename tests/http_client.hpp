#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

/// A response as a test sees it; header names are as sent.
struct HttpReply {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = false;

  /// The first header `name` (any case), or "" if absent.
  std::string header(const std::string& name) const;
};

/// A real HTTP/1.1 client (Boost.Beast, blocking) on one TCP connection to 127.0.0.1:port,
/// so tests can send several requests on it and see keep-alive.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();

  /// Sends one request and reads the response. Throws on connection errors.
  HttpReply request(const std::string& method, const std::string& target,
                    const std::string& body = {},
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

  /// True if the server has closed this connection (a read sees end of stream).
  bool closed_by_server();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Writes `bytes` as they are to a new connection and returns everything the server sends
/// back until it closes the connection (bounded by a 10 s timeout).
std::string raw_exchange(std::uint16_t port, const std::string& bytes);

}  // namespace test_support

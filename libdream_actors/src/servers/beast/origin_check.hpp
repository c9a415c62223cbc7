#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dream::servers::beast::detail {

/// Which browser pages may open a WebSocket on this server (ServerConfig's
/// websocket_allowed_origins, parsed once when the server starts).
class OriginPolicy {
 public:
  /// Throws std::invalid_argument naming the first entry that is neither "*" nor an http or
  /// https origin (scheme://host[:port], a '/' at most after it): such an entry would never
  /// match, and "null" would let in sandboxed pages from any site.
  explicit OriginPolicy(const std::vector<std::string>& allowed);

  /// Whether a page at `origin` (the upgrade's Origin header) may connect to the server its
  /// request names `host` (the Host header). Its own origin always may: an http or https
  /// Origin whose host and port (the scheme's default if none is written) are the Host's, in
  /// any case. So may every listed origin (scheme, host and port) and, with "*", any.
  bool allows(std::string_view origin, std::string_view host) const;

  /// What two origins are compared by (RFC 6454), the scheme's default port written out.
  struct Origin {
    bool https = false;
    std::string host;
    std::uint16_t port = 0;
  };

 private:
  bool any_ = false;
  std::vector<Origin> allowed_;
};

}  // namespace dream::servers::beast::detail

#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dream::servers::beast::detail {

/// Whether a browser page at `origin` (the upgrade request's Origin header) may open a
/// WebSocket on this server, whose request named it `host` (the Host header). Its own origin
/// always may: an http or https Origin whose host and port (the scheme's default if none is
/// written) are the Host's, in any case. So may every origin in `allowed` (the same scheme,
/// host and port) and, with "*", any. A request without an Origin is not checked here.
bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed);

/// Throws std::invalid_argument naming the first entry of `allowed` that is neither "*" nor
/// an http or https origin (scheme://host[:port], a '/' at most after it): such an entry would
/// never match, and "null" would let in sandboxed pages from any site.
void check_allowed_origins(const std::vector<std::string>& allowed);

}  // namespace dream::servers::beast::detail

#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dream::servers::beast::detail {

/// Whether a browser page at `origin` (the upgrade request's Origin header) may open a
/// WebSocket on this server, whose request named it `host` (the Host header): its own origin
/// (the Origin's host and port are the Host, in any case) always may, as may every origin in
/// `allowed` (compared whole and in any case, a trailing '/' ignored) and, with "*", any.
/// A request without an Origin header is not a browser's and is not checked here.
bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed);

}  // namespace dream::servers::beast::detail

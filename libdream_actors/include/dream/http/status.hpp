#pragma once

// Status codes by name, as Dream's `dream/http/status` has them.
namespace dream::http::status {

inline constexpr unsigned ok = 200;
inline constexpr unsigned created = 201;
inline constexpr unsigned no_content = 204;
inline constexpr unsigned moved_permanently = 301;
inline constexpr unsigned found = 302;
inline constexpr unsigned see_other = 303;
inline constexpr unsigned bad_request = 400;
inline constexpr unsigned unauthorized = 401;
inline constexpr unsigned forbidden = 403;
inline constexpr unsigned not_found = 404;
inline constexpr unsigned method_not_allowed = 405;
inline constexpr unsigned request_timeout = 408;
inline constexpr unsigned payload_too_large = 413;
inline constexpr unsigned upgrade_required = 426;
inline constexpr unsigned request_header_fields_too_large = 431;
inline constexpr unsigned internal_server_error = 500;
inline constexpr unsigned not_implemented = 501;
inline constexpr unsigned service_unavailable = 503;

}  // namespace dream::http::status

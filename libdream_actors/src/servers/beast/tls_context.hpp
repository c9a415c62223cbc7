#pragma once

#include <memory>

#include <boost/asio/ssl/context.hpp>

#include "dream/servers/beast/server_config.hpp"

namespace dream::servers::beast::detail {

/// The TLS context every connection of a server shares, from config's certificate and key
/// files (TLS 1.2 and later), or null when both are empty (plain HTTP). Throws
/// std::invalid_argument, naming the file and OpenSSL's reason, when only one is given, a file
/// cannot be read or used, or the key does not belong to the certificate.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const ServerConfig& config);

}  // namespace dream::servers::beast::detail

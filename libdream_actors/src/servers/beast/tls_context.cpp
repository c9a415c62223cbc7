#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>
#include <string>

namespace dream::servers::beast::detail {

namespace ssl = boost::asio::ssl;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& reason) {
  throw std::invalid_argument("TLS: " + what + ": " + reason);
}

}  // namespace

std::unique_ptr<ssl::context> make_tls_context(const ServerConfig& config) {
  const auto& certificate = config.tls_certificate_file;
  const auto& key = config.tls_private_key_file;
  if (certificate.empty() && key.empty()) {
    return nullptr;
  }
  if (certificate.empty() || key.empty()) {
    fail("tls_certificate_file and tls_private_key_file go together",
         certificate.empty() ? "the key is given without a certificate"
                             : "the certificate is given without a key");
  }
  // TLS 1.2 and later: tls_server with a floor, since Asio's tlsv12_server would also cap
  // the version at 1.2 and so refuse TLS 1.3. A fresh (EC)DH key per handshake.
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  ::SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  boost::system::error_code ec;
  // A chain file: the server's certificate first, then any intermediates a client needs.
  context->use_certificate_chain_file(certificate, ec);
  if (ec) {
    fail("cannot use the certificate file '" + certificate + "'", ec.message());
  }
  context->use_private_key_file(key, ssl::context::pem, ec);
  if (ec) {
    fail("cannot use the private key file '" + key + "'", ec.message());
  }
  if (::SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ::ERR_clear_error();
    fail("the private key '" + key + "' does not belong to the certificate '" + certificate + "'",
         "key values mismatch");
  }
  return context;
}

}  // namespace dream::servers::beast::detail

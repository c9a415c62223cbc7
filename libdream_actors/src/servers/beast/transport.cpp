#include "transport.hpp"

namespace dream::servers::beast::detail {

void teardown(boost::beast::role_type role, Transport& transport, boost::system::error_code& ec) {
  if (auto* tls = transport.tls()) {
    boost::beast::teardown(role, *tls, ec);
  } else {
    boost::beast::websocket::teardown(role, transport.next_layer(), ec);
  }
}

}  // namespace dream::servers::beast::detail

#pragma once

#include <dream/context.hpp>
#include <dream/http/request.hpp>
#include <dream/http/response.hpp>

#include "services.hpp"

namespace chat::controllers::chat {

/// GET /chat?user=NAME: upgrades to the chat WebSocket (NAME defaults to "Anonymous"). With a
/// token configured, the upgrade needs ?token=… or "Authorization: Bearer …": else 401.
dream::http::Response handle_chat_upgrade(const dream::http::Request& request,
                                          dream::EmptyContext& context, const Services& services);

}  // namespace chat::controllers::chat

#pragma once

#include <dream/context.hpp>
#include <dream/router.hpp>

#include "services.hpp"

namespace chat {

/// The chat's routes: the page, the WebSocket, the assets (Dream's router.gleam), and the
/// live dashboard with its event stream.
dream::Router<dream::EmptyContext, Services> create_router();

}  // namespace chat

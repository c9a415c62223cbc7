#pragma once

#include <dream/context.hpp>
#include <dream/http/request.hpp>
#include <dream/http/response.hpp>

#include "services.hpp"

namespace chat::controllers::home {

/// GET /: the chat page.
dream::http::Response show(const dream::http::Request& request, dream::EmptyContext& context,
                           const Services& services);

}  // namespace chat::controllers::home

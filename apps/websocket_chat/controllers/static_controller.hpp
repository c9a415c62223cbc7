#pragma once

#include <dream/context.hpp>
#include <dream/http/request.hpp>
#include <dream/http/response.hpp>

#include "services.hpp"

namespace chat::controllers::static_controller {

/// GET /assets/**filepath: a file under the assets directory, with its MIME type, or 404.
dream::http::Response serve(const dream::http::Request& request, dream::EmptyContext& context,
                            const Services& services);

}  // namespace chat::controllers::static_controller

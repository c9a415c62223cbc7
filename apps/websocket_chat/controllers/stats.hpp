#pragma once

#include <dream/context.hpp>
#include <dream/http/request.hpp>
#include <dream/http/response.hpp>

#include "services.hpp"

namespace chat::controllers::stats {

/// GET /stats: Server-Sent Events, one "stats" event (ChatStats as JSON, numbered ids) each
/// time the stats service ticks, until the client goes away.
dream::http::Response stream(const dream::http::Request& request, dream::EmptyContext& context,
                             const Services& services);

/// GET /dashboard: the page that shows those numbers as they change.
dream::http::Response dashboard(const dream::http::Request& request, dream::EmptyContext& context,
                                const Services& services);

}  // namespace chat::controllers::stats

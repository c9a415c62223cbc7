#include "controllers/stats.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <dream/servers/beast/sse.hpp>

#include "views/dashboard_view.hpp"

namespace chat::controllers::stats {
namespace {

namespace sse = dream::servers::beast::sse;
namespace broadcaster = dream::services::broadcaster;
using types::ChatStats;

/// What the stream's handlers need, passed explicitly (no closures).
struct StatsDependencies {
  Services services;
};

/// A stream's state: the id of its next event.
struct StatsStream {
  std::uint64_t next_id = 1;
};

std::pair<StatsStream, std::optional<dream::process::Selector<ChatStats>>> handle_init(
    dream::process::Subject<ChatStats>, const sse::LastEventId&, const StatsDependencies& deps) {
  // Live numbers only: a reconnecting dashboard has nothing to catch up on.
  auto channel = broadcaster::subscribe(deps.services.stats.bus);
  return {StatsStream{}, broadcaster::channel_to_selector(channel)};
}

sse::Action<StatsStream, ChatStats> handle_message(StatsStream state, const ChatStats& stats,
                                                   sse::Connection& connection,
                                                   const StatsDependencies&) {
  auto event = sse::event_id(sse::event_name(sse::event(types::to_json(stats)), "stats"),
                             std::to_string(state.next_id++));
  if (!sse::send_event(connection, event)) {
    // Gone, or not reading: a dashboard that misses a tick catches up with the next one.
  }
  return sse::continue_connection(std::move(state));
}

}  // namespace

dream::http::Response stream(const dream::http::Request& request, dream::EmptyContext&,
                             const Services& services) {
  return sse::upgrade_to_sse(request, StatsDependencies{services}, handle_init, handle_message);
}

dream::http::Response dashboard(const dream::http::Request&, dream::EmptyContext&,
                                const Services&) {
  return dream::http::html_response(dream::http::status::ok, views::dashboard_view::render_page());
}

}  // namespace chat::controllers::stats

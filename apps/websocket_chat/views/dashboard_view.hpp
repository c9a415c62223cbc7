#pragma once

#include <string>

namespace chat::views::dashboard_view {

/// The live dashboard: users connected, messages per second and messages in all, kept up to
/// date from GET /stats by an EventSource (assets/scripts/dashboard.js).
std::string render_page();

}  // namespace chat::views::dashboard_view

#pragma once

namespace dream {

/// The context of an app that needs none (Dream's EmptyContext). A fresh copy of the server's
/// context value is made for every request, so per-request data never leaks between them.
struct EmptyContext {};

/// The services of an app that has none.
struct EmptyServices {};

}  // namespace dream

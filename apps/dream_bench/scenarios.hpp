#pragma once

#include "fleet.hpp"
#include "options.hpp"

// Each scenario runs to completion or its timeout, prints one JSON line on stdout, and
// returns the exit code: 0, or 1 when anything was lost, duplicated, reordered or late.
namespace dream_bench {

/// N quiet subscribers, one publisher sending M stamped texts (full speed, or --rate per
/// second); deliveries/s, latency, and loss/duplicates/reordering counted per subscriber.
int run_fanout(const Options& options, const Target& target);
/// N clients each sending a stamped text and waiting for its own broadcast before the next.
int run_echo(const Options& options, const Target& target);
/// N idle connections: the server's resident memory per connection, and upgrades/s.
int run_conns(const Options& options, const Target& target);
/// --duration seconds of mixed traffic: chats that close cleanly, drops (FIN, RST, mid-frame),
/// slow readers, steady chatters; totals, and exit 1 on a failed handshake or an unanswered
/// text or close (a slow reader the server closes is expected).
int run_soak(const Options& options, const Target& target);

}  // namespace dream_bench

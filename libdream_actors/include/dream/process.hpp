#pragma once

// The process layer: Erlang-style processes on CAF. Pids, typed subjects, selectors,
// monitors and links, and an Inbox for threads that are not processes.
#include "dream/process/current.hpp"
#include "dream/process/down.hpp"
#include "dream/process/errors.hpp"
#include "dream/process/inbox.hpp"
#include "dream/process/pid.hpp"
#include "dream/process/selector.hpp"
#include "dream/process/subject.hpp"
#include "dream/result.hpp"
#include "dream/runtime.hpp"

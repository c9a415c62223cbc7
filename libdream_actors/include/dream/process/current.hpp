#pragma once

#include "dream/process/errors.hpp"
#include "dream/process/pid.hpp"
#include "dream/process/subject.hpp"

// Calls that act as "the calling process": they work inside an actor's handler and throw
// NotAProcess anywhere else (use an Inbox on threads that are not processes).
namespace dream::process {

/// True when the calling thread is running a process's handler.
bool is_process() noexcept;

/// The calling process. Throws NotAProcess outside a process.
Pid self();

/// A new subject owned by the calling process. Throws NotAProcess outside a process.
template <class T>
Subject<T> new_subject() {
  return Subject<T>(self(), detail::next_tag());
}

/// Monitors `pid`: when it ends (or if it already has), the calling process gets one Down,
/// through its selector's select_monitors(). Throws NotAProcess outside a process.
void monitor(const Pid& pid);

/// Removes every monitor of the calling process on `pid`; no Down for it will follow.
void demonitor(const Pid& pid);

/// Links the calling process to `pid` (CAF's link): when either ends abnormally the other
/// ends with the same reason. Throws NotAProcess outside a process.
void link(const Pid& pid);

/// Ends `pid` at once (an untrappable kill, like Erlang's exit(Pid, kill)); callable from any
/// thread. Its monitors get a Down with normal == false. Does nothing if it has ended.
void kill(const Pid& pid);

}  // namespace dream::process

#pragma once

// ThreadSanitizer annotations for the hand-offs that happen inside libcaf_core, which Debian
// builds without TSan: a send happens-before the receiving handler, and one handler run of a
// process happens-before its next run on another scheduler thread. No-ops in other builds.
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
namespace dream::detail {
inline void tsan_acquire(const void* addr) {
  __tsan_acquire(const_cast<void*>(addr));
}
inline void tsan_release(const void* addr) {
  __tsan_release(const_cast<void*>(addr));
}
}  // namespace dream::detail
#else
namespace dream::detail {
inline void tsan_acquire(const void*) {}
inline void tsan_release(const void*) {}
}  // namespace dream::detail
#endif

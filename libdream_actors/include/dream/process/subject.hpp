#pragma once

#include <cstdint>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>

#include "dream/process/errors.hpp"
#include "dream/process/pid.hpp"
#include "dream/result.hpp"

namespace dream::process {

namespace detail {
/// Puts a tagged payload in `owner`'s mailbox; owner_gone if it has ended.
std::error_code deliver(const Pid& owner, std::uint64_t tag, std::shared_ptr<const void> payload);
/// A tag no other subject of this program has.
std::uint64_t next_tag() noexcept;
}  // namespace detail

/// A typed address of a mailbox owned by one process (Gleam's Subject): anyone may send a T
/// to it, only the owner receives. Copyable; it never keeps the owner alive.
template <class T>
class Subject {
 public:
  using value_type = T;

  /// @private Subjects are made by new_subject(), Inbox::new_subject() or actor::start().
  Subject(Pid owner, std::uint64_t tag) noexcept : owner_(std::move(owner)), tag_(tag) {}

  /// The process that receives what is sent here.
  const Pid& owner() const noexcept { return owner_; }
  /// What tells this subject's messages apart from the owner's other subjects.
  std::uint64_t tag() const noexcept { return tag_; }

  friend bool operator==(const Subject& a, const Subject& b) noexcept {
    return a.tag_ == b.tag_ && a.owner_ == b.owner_;
  }

 private:
  Pid owner_;
  std::uint64_t tag_;
};

/// Sends `value` to the subject's owner without waiting; the value is moved, never copied.
/// Returns Errc::owner_gone (and drops the value) if the owner has already ended.
template <class T>
Result<> send(const Subject<T>& subject, std::type_identity_t<T> value) {
  auto payload = std::make_shared<T>(std::move(value));
  if (auto ec = detail::deliver(subject.owner(), subject.tag(), std::move(payload))) {
    return ec;
  }
  return {};
}

}  // namespace dream::process

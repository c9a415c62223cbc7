#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "dream/process/down.hpp"
#include "dream/process/subject.hpp"

namespace dream::process {

namespace detail {

/// A non-owning reference to "something that takes a const T&", so a selector can hand a
/// payload to its receiver by reference (no copy) without knowing who the receiver is.
template <class T>
class SinkRef {
 public:
  template <class F>
  explicit SinkRef(F& f) noexcept
      : object_(&f), call_([](void* o, const T& v) { (*static_cast<F*>(o))(v); }) {}
  void operator()(const T& value) const { call_(object_, value); }

 private:
  void* object_;
  void (*call_)(void*, const T&);
};

}  // namespace detail

/// Which subjects a process listens to, each mapped into one message type T (Gleam's Selector).
/// A payload selected unmapped reaches the receiver by const reference: it is never copied.
template <class T>
class Selector {
 public:
  using value_type = T;

  Selector() = default;

  /// Listens to `subject`; its values arrive as they are.
  Selector& select(const Subject<T>& subject) {
    put(subject.tag(), nullptr);
    return *this;
  }

  /// Listens to `subject`, turning each value into a T with `mapping(const A&)`.
  template <class A, class F>
  requires std::is_invocable_r_v<T, const F&, const A&> Selector& select_map(
      const Subject<A>& subject, F mapping) {
    put(subject.tag(), std::make_shared<const Mapping<A, F>>(std::move(mapping)));
    return *this;
  }

  /// Receives the Down of every process this process monitors, turned into a T by `mapping`.
  template <class F>
  requires std::is_invocable_r_v<T, const F&, const Down&> Selector& select_monitors(F mapping) {
    down_ = std::make_shared<const Mapping<Down, F>>(std::move(mapping));
    return *this;
  }

  /// True if the subject with this tag is selected.
  bool selects(std::uint64_t tag) const noexcept { return find(tag) != nullptr; }
  /// True if Down messages are selected.
  bool selects_monitors() const noexcept { return down_ != nullptr; }

  /// @private Hands the payload sent to subject `tag` to `sink` as a const T&; false if `tag`
  /// is not selected.
  template <class Sink>
  bool dispatch(std::uint64_t tag, const void* payload, Sink&& sink) const {
    const Entry* entry = find(tag);
    if (entry == nullptr) {
      return false;
    }
    if (entry->mapping == nullptr) {
      sink(*static_cast<const T*>(payload));
    } else {
      entry->mapping->apply(payload, detail::SinkRef<T>(sink));
    }
    return true;
  }

  /// @private Hands a Down to `sink` through the monitors mapping; false if none is selected.
  template <class Sink>
  bool dispatch_down(const Down& down, Sink&& sink) const {
    if (down_ == nullptr) {
      return false;
    }
    down_->apply(&down, detail::SinkRef<T>(sink));
    return true;
  }

 private:
  struct MappingBase {
    virtual ~MappingBase() = default;
    virtual void apply(const void* payload, detail::SinkRef<T> sink) const = 0;
  };

  template <class A, class F>
  struct Mapping final : MappingBase {
    explicit Mapping(F f) : function(std::move(f)) {}
    void apply(const void* payload, detail::SinkRef<T> sink) const override {
      sink(function(*static_cast<const A*>(payload)));
    }
    F function;
  };

  struct Entry {
    std::uint64_t tag;
    std::shared_ptr<const MappingBase> mapping;  // null: the payload already is a T
  };

  const Entry* find(std::uint64_t tag) const noexcept {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [tag](const Entry& e) { return e.tag == tag; });
    return it == entries_.end() ? nullptr : &*it;
  }

  void put(std::uint64_t tag, std::shared_ptr<const MappingBase> mapping) {
    if (auto* entry = const_cast<Entry*>(find(tag))) {
      entry->mapping = std::move(mapping);
    } else {
      entries_.push_back(Entry{tag, std::move(mapping)});
    }
  }

  std::vector<Entry> entries_;
  std::shared_ptr<const MappingBase> down_;
};

}  // namespace dream::process

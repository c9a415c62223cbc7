#pragma once

#include <functional>
#include <memory>
#include <typeindex>

namespace dream::cucumber {

namespace internal {
/// The current scenario's context object of type `type`, made by `make` on first use and
/// destroyed (in reverse order of creation) when the scenario ends. Throws std::logic_error
/// outside a scenario (e.g. in BEFORE_ALL).
std::shared_ptr<void> scenario_context(std::type_index type,
                                       const std::function<std::shared_ptr<void>()>& make);
}  // namespace internal

/// One T per scenario, shared by every step and hook of that scenario and fresh in the next
/// (cucumber-cpp's ScenarioScope). T must be default-constructible.
template <class T>
class ScenarioScope {
 public:
  ScenarioScope()
      : context_(std::static_pointer_cast<T>(internal::scenario_context(
            typeid(T), [] { return std::static_pointer_cast<void>(std::make_shared<T>()); }))) {}

  T& operator*() const noexcept { return *context_; }
  T* operator->() const noexcept { return context_.get(); }
  T* get() const noexcept { return context_.get(); }

 private:
  std::shared_ptr<T> context_;
};

}  // namespace dream::cucumber

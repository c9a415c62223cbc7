#pragma once

// The step-definition macros, source-compatible with cucumber-cpp: GIVEN/WHEN/THEN/STEP,
// REGEX_PARAM, TABLE_PARAM, the hooks, ScenarioScope. Include a driver header (autodetect.hpp,
// doctest.hpp, gtest.hpp or generic.hpp) rather than this one: the driver decides how the
// body's assertions fail a step (STEP_INHERITANCE).

#include "dream/cucumber/hooks.hpp"
#include "dream/cucumber/scenario_scope.hpp"
#include "dream/cucumber/step.hpp"
#include "dream/cucumber/table.hpp"

// cucumber-cpp's step files name `cucumber::ScenarioScope` and `cucumber::internal::Table`.
namespace cucumber = ::dream::cucumber;

#define DREAM_CUKE_CAT_(a, b) a##b
#define DREAM_CUKE_CAT(a, b) DREAM_CUKE_CAT_(a, b)
#define CUKE_GEN_OBJECT_NAME_ DREAM_CUKE_CAT(CukeObject, __COUNTER__)

// A class deriving from `parent` whose body() is the block that follows the macro, registered
// at static initialisation by `registration`.
#define CUKE_OBJECT_(name, parent, registration)     \
  namespace {                                        \
  class name : public parent {                       \
   public:                                           \
    void body() override;                            \
                                                     \
   private:                                          \
    static const int cuke_registration_;             \
  };                                                 \
  const int name::cuke_registration_ = registration; \
  }                                                  \
  void name::body()

// The same for a step whose captures arrive as the body's parameters (cucumber-cpp's
// `GIVEN("^(\\d+) cukes$", (unsigned n)) {...}`): `args` is the parameter list, in parentheses.
#define CUKE_OBJECT_WITH_ARGS_(name, parent, registration, args)                  \
  namespace {                                                                     \
  class name : public parent {                                                    \
   public:                                                                        \
    void body() override { this->invoke_with_args(this, &name::body_with_args); } \
    void body_with_args args;                                                     \
                                                                                  \
   private:                                                                       \
    static const int cuke_registration_;                                          \
  };                                                                              \
  const int name::cuke_registration_ = registration;                              \
  }                                                                               \
  void name::body_with_args args

#define CUKE_STEP_WITH_NAME_(name, matcher)  \
  CUKE_OBJECT_(name, STEP_INHERITANCE(name), \
               ::dream::cucumber::internal::registerStep<name>(matcher, __FILE__, __LINE__))
#define CUKE_STEP_WITH_ARGS_(name, matcher, args) \
  CUKE_OBJECT_WITH_ARGS_(                         \
      name, STEP_INHERITANCE(name),               \
      ::dream::cucumber::internal::registerStep<name>(matcher, __FILE__, __LINE__), args)
#define DREAM_CUKE_STEP_PLAIN_(matcher) CUKE_STEP_WITH_NAME_(CUKE_GEN_OBJECT_NAME_, matcher)
#define DREAM_CUKE_STEP_ARGS_(matcher, args) \
  CUKE_STEP_WITH_ARGS_(CUKE_GEN_OBJECT_NAME_, matcher, args)
#define DREAM_CUKE_PICK_(first, second, picked, ...) picked
// CUKE_STEP_(regex) or CUKE_STEP_(regex, (parameters)).
#define CUKE_STEP_(...) \
  DREAM_CUKE_PICK_(__VA_ARGS__, DREAM_CUKE_STEP_ARGS_, DREAM_CUKE_STEP_PLAIN_, unused)(__VA_ARGS__)

// doctest's short BDD macros (GIVEN/WHEN/THEN as subcases) give way to the step macros.
#undef GIVEN
#undef WHEN
#undef THEN
#define STEP CUKE_STEP_
#define GIVEN CUKE_STEP_
#define WHEN CUKE_STEP_
#define THEN CUKE_STEP_

#define REGEX_PARAM(type, name) const type name(getInvokeArg<type>())
#define TABLE_PARAM(name) const ::dream::cucumber::Table& name = getArgs()->getTableArg()
#define USING_CONTEXT(type, name) ::dream::cucumber::ScenarioScope<type> name

#define DREAM_CUKE_HOOK_(name, base, kind, tags)                \
  CUKE_OBJECT_(name, ::dream::cucumber::internal::base,         \
               ::dream::cucumber::internal::registerHook<name>( \
                   ::dream::cucumber::internal::HookKind::kind, tags, __FILE__, __LINE__))

#define BEFORE(...) DREAM_CUKE_HOOK_(CUKE_GEN_OBJECT_NAME_, BeforeHook, before, "" #__VA_ARGS__)
#define AROUND_STEP(...) \
  DREAM_CUKE_HOOK_(CUKE_GEN_OBJECT_NAME_, AroundStepHook, around_step, "" #__VA_ARGS__)
#define AFTER_STEP(...) \
  DREAM_CUKE_HOOK_(CUKE_GEN_OBJECT_NAME_, AfterStepHook, after_step, "" #__VA_ARGS__)
#define AFTER(...) DREAM_CUKE_HOOK_(CUKE_GEN_OBJECT_NAME_, AfterHook, after, "" #__VA_ARGS__)
#define BEFORE_ALL() DREAM_CUKE_HOOK_(CUKE_GEN_OBJECT_NAME_, BeforeAllHook, before_all, "")
#define AFTER_ALL() DREAM_CUKE_HOOK_(CUKE_GEN_OBJECT_NAME_, AfterAllHook, after_all, "")

// A step runner with a regular expression that does not compile: it must refuse to start
// and name the definition (tests/cucumber_test.cpp).
#include <dream/cucumber/generic.hpp>

GIVEN("^a step with an (unbalanced parenthesis$") {}

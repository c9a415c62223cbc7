// A user's step runner, built against the installed package: dream::cucumber_main and the
// doctest driver are all it links. It is built and started (--help), never run by cucumber.
#include <doctest/doctest.h>
#include <dream/cucumber/autodetect.hpp>

GIVEN("^an installed step runner with (\\d+) steps?$") {
  REGEX_PARAM(int, steps);
  CHECK(steps > 0);
}

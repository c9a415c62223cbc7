// A user's step runner, built against the installed package: dream::cucumber_main and the
// doctest driver are all it links.
#include <doctest/doctest.h>
#include <dream/cucumber/autodetect.hpp>

GIVEN("^an installed step runner$") { CHECK(true); }

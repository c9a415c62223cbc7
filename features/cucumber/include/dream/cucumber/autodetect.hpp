#pragma once

// cucumber-cpp's autodetect.hpp: picks the driver from the test framework included before
// it (doctest, then GoogleTest), else the generic driver. A step file written for
// cucumber-cpp compiles with this as its only changed include line.
#if defined(DOCTEST_VERSION)
#include "dream/cucumber/doctest.hpp"
#elif defined(GOOGLETEST_INCLUDE_GTEST_GTEST_H_) || defined(GTEST_INCLUDE_GTEST_GTEST_H_)
#include "dream/cucumber/gtest.hpp"
#else
#include "dream/cucumber/generic.hpp"
#endif

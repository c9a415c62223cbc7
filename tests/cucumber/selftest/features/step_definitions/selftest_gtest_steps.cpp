// A GoogleTest step in the same runner as doctest ones: each file picks its own driver.
#include <gtest/gtest.h>
#include <dream/cucumber/autodetect.hpp>

WHEN("^a GoogleTest step fails an EXPECT_EQ and an ASSERT_TRUE$") {
  const int two = 2;
  EXPECT_EQ(two, 7);
  ASSERT_TRUE(two == 8);
  EXPECT_EQ(two, 9);  // never reached: ASSERT_TRUE returned from the body
}

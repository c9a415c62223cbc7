Feature: How the step runner reports what goes wrong
  Every scenario here fails, each in its own way; the self-test checks cucumber's report.

  Scenario: CHECK failures are all reported and the step goes on
    When a step fails two CHECKs

  Scenario: REQUIRE stops the step
    When a step fails a REQUIRE and then a CHECK

  Scenario: doctest's messages, FAIL_CHECK and FAIL are reported; FAIL ends the step
    When a step fails with doctest's messages

  Scenario: A failed CHECK on another thread fails the step
    When a step fails a CHECK on another thread

  Scenario: A failed CHECK and then an exception: both are reported
    When a step fails a CHECK and then throws

  Scenario: A thrown std::string is the message
    When a step throws a std::string "plain text"

  Scenario: A std::exception fails the step with its type and message
    When a step throws a std::runtime_error "the disk is on fire"

  Scenario: Anything thrown fails the step
    When a step throws an int

  Scenario: Pending
    When a step is pending

  Scenario: Undefined
    When a step nobody wrote with "some text" and 3 items

  Scenario: A capture that does not convert
    When I enter "twelve" as a number

  Scenario: GoogleTest assertions fail the step too
    When a GoogleTest step fails an EXPECT_EQ and an ASSERT_TRUE

  @failing_after
  Scenario: A failing AFTER hook fails the scenario
    Given the scenario counter is incremented

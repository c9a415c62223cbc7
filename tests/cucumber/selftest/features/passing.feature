Feature: What the step runner passes on to steps
  Every scenario here passes: the self-test fails if one does not.

  Scenario: Captures convert to the parameter's type
    Given the numbers 42 and -7.25 and the word "quoted words"
    Then the step saw 42, -7.25 and "quoted words"

  Scenario: Captures may arrive as the body's parameters
    Given the parameters 7 and "seven" arrive as arguments

  Scenario: Non-ASCII text arrives byte for byte
    Given the name "Zoë ✓ 日本" is entered
    Then the name should have 15 bytes

  Scenario: A data table arrives as rows and hashes
    Given these people:
      | name  | age |
      | Alice | 30  |
      | Bob   | 25  |
    Then there should be 2 people and "Bob" should be 25

  Scenario: A doc string arrives as the last argument
    Given this text:
      """
      first line
        second "line"
      """
    Then the text should have 2 lines

  Scenario: A context is made on first use and shared by the scenario's steps
    Given the scenario counter is incremented
    And the scenario counter is incremented
    Then the scenario counter should be 2

  Scenario: The next scenario gets a fresh context
    Then the scenario counter should be 0

  @tagged
  Scenario: A tagged BEFORE hook runs for tagged scenarios
    Then the tagged hook should have run

  Scenario: A tagged BEFORE hook skips the others
    Then the tagged hook should not have run

  @around
  Scenario: AROUND_STEP hooks wrap every step; AFTER_STEP hooks follow it
    Given the scenario counter is incremented
    Then the around hook should have wrapped 1 step before this one

  @or_b
  Scenario: A hook's tag expression selects one of its alternatives
    Then the or-hook should have run

  @or_b @excluded
  Scenario: A hook's tag expression: a negated tag excludes
    Then the or-hook should not have run

  @order
  Scenario: Hooks run in cucumber-cpp's order
    Given the step records itself
    Then the trace should be "B< A< step A> B> Y X B< A<"

  Scenario: A data table whose column names repeat (a grid)
    Given this grid:
      | X | O | X |
      | O | X | O |
    Then the grid's second row should be "O X O"

  Scenario: A passing CHECK on another thread, and a failed WARN, pass
    When a step checks on another thread and warns

  Scenario: A step may print a lot
    When a step prints 200 KiB

  Scenario: BEFORE_ALL ran once before the first scenario
    Then BEFORE_ALL should have run once

  Scenario Outline: An outline runs once per example
    Given the numbers <a> and <b> and the word "<word>"
    Then the step saw <a>, <b> and "<word>"

    Examples:
      | a | b    | word |
      | 1 | 2.5  | one  |
      | 3 | -4.5 | two  |

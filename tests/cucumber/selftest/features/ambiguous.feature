Feature: An ambiguous step
  Cucumber 2.4 stops the whole run on a step that two definitions match.

  Scenario: Two definitions match
    When a step matches twice

Feature: Calculator
  In order to avoid silly mistakes
  As a math idiot
  I want to be told the results of simple sums

  Scenario Outline: Two numbers and an operation
    Given I have entered <first> into the calculator
    And I have entered <second> into the calculator
    When I press <button>
    Then the result should be <result> on the screen

    Examples:
      | first | second | button | result |
      | 50    | 70     | add    | 120    |
      | 2     | 5      | add    | 7      |
      | 0     | 40     | add    | 40     |
      | 6     | 3      | divide | 2      |
      | 7     | 2      | divide | 3.5    |

  Scenario: Adding up a column of numbers
    Given I have entered these numbers into the calculator:
      | number | note          |
      | 1.5    | a fraction    |
      | 2      | a whole one   |
      | 3.5    | another piece |
    When I sum them all up
    Then the result should be 7 on the screen

  Scenario: A fresh calculator for every scenario
    Then the calculator should hold 0 numbers

Feature: A step runner that dies mid-run

  Scenario: The runner is killed during a step
    When the step runner is killed

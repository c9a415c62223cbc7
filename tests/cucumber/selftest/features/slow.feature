Feature: A step that outlasts cucumber's patience
  Run with DREAM_SELFTEST_INVOKE_TIMEOUT=1: cucumber stops waiting, and the runner, seeing
  cucumber's next request before its reply, closes rather than answer out of turn.

  Scenario: A step takes longer than the invoke timeout
    When a step takes 3 seconds

Feature: WebSocket Chat
  Dream's chat example, ported: the real websocket_chat program, real WebSocket clients.
  The first eight scenarios are Dream's own, word for word; the rest are ours.

  Background:
    Given the server is running on port 8080

  Scenario: Home page returns HTML
    When I send a GET request to "/"
    Then the response status should be 200
    And the response should contain "Dream WebSocket Chat"
    And the response should contain "Enter your name to join the chat"

  Scenario: WebSocket upgrade connection
    When I upgrade to WebSocket at "/chat?user=Alice"
    Then the WebSocket connection should be established
    And I should receive a "joined" message for "Alice"

  Scenario: Send and receive chat messages
    Given I connect to WebSocket at "/chat?user=Bob"
    When I send WebSocket text "Hello, World!"
    Then I should receive a "message" from "Bob" with text "Hello, World!"

  Scenario: Multiple users in chat
    Given user "Alice" connects to the chat
    And user "Bob" connects to the chat
    When user "Alice" sends message "Hi Bob!"
    Then user "Bob" should receive message from "Alice" saying "Hi Bob!"
    When user "Bob" sends message "Hi Alice!"
    Then user "Alice" should receive message from "Bob" saying "Hi Alice!"

  Scenario: User join notifications
    Given user "Charlie" connects to the chat
    When user "Dave" connects to the chat
    Then user "Charlie" should receive "joined" notification for "Dave"

  Scenario: User leave notifications
    Given user "Eve" connects to the chat
    And user "Frank" connects to the chat
    When user "Frank" disconnects
    Then user "Eve" should receive "left" notification for "Frank"

  Scenario: Anonymous user defaults
    When I upgrade to WebSocket at "/chat"
    Then the WebSocket connection should be established
    And I should receive a "joined" message for "Anonymous"

  Scenario: Static assets are served
    When I send a GET request to "/assets/scripts/chat.js"
    Then the response status should be 200
    And the response should contain "WebSocket"
    When I send a GET request to "/assets/styles/chat.css"
    Then the response status should be 200
    And the response should contain ".welcome-screen"

  Scenario: The sender receives its own message too
    Given user "Grace" connects to the chat
    And user "Heidi" connects to the chat
    When user "Grace" sends message "Hello, everyone"
    Then user "Grace" should receive message from "Grace" saying "Hello, everyone"
    And user "Heidi" should receive message from "Grace" saying "Hello, everyone"

  Scenario: With a token, the upgrade is refused without it
    Given the server is running with token "s3cret"
    When I try to upgrade to WebSocket at "/chat?user=Mallory"
    Then the upgrade should be refused with status 401
    When I try to upgrade to WebSocket at "/chat?user=Mallory&token=wrong"
    Then the upgrade should be refused with status 401

  Scenario: With a token, the upgrade succeeds with it, in the query or as a bearer token
    Given the server is running with token "s3cret"
    When I upgrade to WebSocket at "/chat?user=Ivan&token=s3cret"
    Then the WebSocket connection should be established
    And I should receive a "joined" message for "Ivan"
    When I upgrade to WebSocket at "/chat?user=Judy" with header "Authorization" set to "Bearer s3cret"
    Then the WebSocket connection should be established
    And I should receive a "joined" message for "Judy"

  Scenario: Unicode names round-trip, percent-encoded in the URL
    When I upgrade to WebSocket at "/chat?user=J%C3%BCrgen%20%E2%9C%93"
    Then the WebSocket connection should be established
    And I should receive a "joined" message for "Jürgen ✓"
    When I send WebSocket text "Grüße 🎉"
    Then I should receive a "message" from "Jürgen ✓" with text "Grüße 🎉"

  Scenario: Unicode names, encoded by the step
    Given user "Zoë" connects to the chat
    And user "Jürgen ✓" connects to the chat
    When user "Zoë" sends message "Hallo, Jürgen!"
    Then user "Jürgen ✓" should receive message from "Zoë" saying "Hallo, Jürgen!"
    And user "Zoë" should receive "joined" notification for "Jürgen ✓"

  Scenario: Twenty users all receive a broadcast
    Given 20 users are connected to the chat
    And user "Announcer" connects to the chat
    When user "Announcer" sends message "Welcome, all twenty of you"
    Then every user should receive message from "Announcer" saying "Welcome, all twenty of you"

  Scenario: An abrupt disconnect (no close frame) still produces "left"
    Given user "Kim" connects to the chat
    And user "Lou" connects to the chat
    When user "Lou" drops the connection
    Then user "Kim" should receive "left" notification for "Lou"

  Scenario: Binary frames are ignored and the connection stays open
    Given user "Mona" connects to the chat
    When user "Mona" sends a binary frame
    And user "Mona" sends message "after the binary frame"
    Then the next message user "Mona" receives should be from "Mona" saying "after the binary frame"
    When user "Mona" sends message "still here"
    Then user "Mona" should receive message from "Mona" saying "still here"

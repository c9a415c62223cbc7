Feature: Routing HTTP requests
  Dream's router on the Beast server, over real sockets. The app routes GET /users/:id,
  POST /users, GET /files/**path and GET /assets/**filepath (static files, with a secret
  file just outside their root).

  Background:
    Given the router app is running

  Scenario: An unknown path is not found
    When I send a GET request to "/nowhere"
    Then the response status should be 404

  Scenario: A known path with another method is refused with the methods it allows
    When I send a DELETE request to "/users/42"
    Then the response status should be 405
    And the response header "Allow" should be "GET, HEAD"
    When I send a GET request to "/users"
    Then the response status should be 405
    And the response header "Allow" should be "POST"

  Scenario: A path parameter reaches the controller
    When I send a GET request to "/users/42"
    Then the response status should be 200
    And the response body should be "user 42"

  Scenario: Path parameters and tail wildcards, percent-decoded
    Then the app should answer these requests:
      | method | path                     | status | body                   |
      | GET    | /users/42                | 200    | user 42                |
      | GET    | /users/42/               | 200    | user 42                |
      | GET    | /users/J%C3%BCrgen       | 200    | user Jürgen            |
      | POST   | /users                   | 201    | created                |
      | GET    | /files/a/b/c.txt         | 200    | file [a/b/c.txt]       |
      | GET    | /files/reports/2024%2001 | 200    | file [reports/2024 01] |
      | GET    | /files                   | 200    | file []                |
      | GET    | /nowhere                 | 404    | Not Found              |
      | PUT    | /files/a                 | 405    | Method Not Allowed     |

  Scenario: A static file is served from its root
    When I send a GET request to "/assets/styles/site.css"
    Then the response status should be 200
    And the response header "Content-Type" should be "text/css; charset=utf-8"
    And the response body should be ".site { color: teal; }"

  Scenario: Path traversal out of the static root is refused
    When I send a GET request to "/assets/hello.txt"
    Then the response status should be 200
    And the response should contain "hello from the static root"
    And these requests should be refused without revealing the secret:
      | path                                     | status |
      | /assets/../secret.txt                    | 404    |
      | /assets/%2e%2e/secret.txt                | 404    |
      | /assets/%2E%2E/secret.txt                | 404    |
      | /assets/%2e%2e%2fsecret.txt              | 404    |
      | /assets/styles/%2e%2e/%2e%2e/secret.txt  | 404    |
      | /assets/..%5csecret.txt                  | 404    |
      | /assets/%2Fetc%2Fpasswd                  | 404    |
      | /assets/%zz/secret.txt                   | 400    |

"""An SSE client that is not ours (Python's http.client, with the HTML standard's event
parsing) against our server.

Usage: sse_client.py PORT. Reads /events?user=python until the server ends the stream, and
exits 0 printing "interop ok" when it got exactly the events the test sends (a named,
multi-line event with an id, then a plain one), with comments ignored; anything else fails."""
import http.client
import sys


def events(response):
    """Yields (type, data, last_event_id) as an EventSource would dispatch them."""
    kind, data, last_id = "", [], ""
    for raw in response:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if data:
                yield (kind or "message", "\n".join(data), last_id)
            kind, data = "", []
            continue
        if line.startswith(":"):
            continue  # a comment: a heartbeat
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            kind = value
        elif field == "data":
            data.append(value)
        elif field == "id" and "\0" not in value:
            last_id = value


def main(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", "/events?user=python", headers={"Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200, f"status {response.status}"
    assert response.getheader("Content-Type") == "text/event-stream", response.getheaders()
    got = list(events(response))  # until the server ends the stream
    expected = [("greet", "hello\nworld", "1"), ("message", "bye", "1")]
    assert got == expected, f"events differ: {got!r}"
    print("interop ok")


main(int(sys.argv[1]))

"""A WebSocket client that is not ours (Debian's python3-websockets) against our server.

Usage: ws_echo_client.py PORT. Exits 0 and prints "interop ok" when text and binary frames
echo back exactly and "stop" closes the connection with 1000; anything else fails."""
import asyncio
import sys

import websockets


async def main(port: int) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}/chat?user=python") as ws:
        for text in ["hello", "héllo wörld ✓", "x" * 70000]:
            await ws.send(text)
            got = await asyncio.wait_for(ws.recv(), 20)
            assert got == text, f"text echo differs: {got[:40]!r}"
        await ws.send(b"\x00\x01\xfe\xff")
        got = await asyncio.wait_for(ws.recv(), 20)
        assert got == b"\x00\x01\xfe\xff", f"binary echo differs: {got!r}"
        await ws.send("stop")
        try:
            extra = await asyncio.wait_for(ws.recv(), 20)
            raise AssertionError(f"expected the close, got {extra!r}")
        except websockets.exceptions.ConnectionClosedOK:
            pass
        assert ws.close_code == 1000, f"close code {ws.close_code}"
    print("interop ok")


asyncio.run(main(int(sys.argv[1])))

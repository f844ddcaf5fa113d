"""The load generator of bench_load.py, in a process of its own: signed slash commands sent open loop
with asyncio over raw loopback HTTP/1.1 (one connection per command, as Slack opens them), so the
client itself adds almost nothing to the time it measures (no thread per request, no GIL contention
with a pool of senders).

    echo '{"urls": [...], "rate": 100, "forms": [...], "secret": "..."}' | python benchmarks/load_sender.py

Prints one JSON line: for each command [response_url, wall time sent, ack seconds, HTTP status,
"busy" in the ack, the Server-Timing phases in ms, how late the send was against its schedule in s].
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sys
import time
from urllib.parse import urlencode, urlsplit

BUSY_WORDS = "Busy right now"
TIMEOUT = 30.0

Result = tuple[str, float, float, int, bool, dict[str, float], float]


def signed_request(host: str, path: str, body: bytes, secret: str) -> bytes:
    ts = str(int(time.time()))
    signature = (
        "v0=" + hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Slackbot 1.0 (+https://api.slack.com/robots)\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {ts}\r\n"
        f"X-Slack-Signature: {signature}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def parse_response(raw: bytes) -> tuple[int, str, dict[str, float]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    phases: dict[str, float] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "server-timing":
            for part in value.split(","):
                key, _, dur = part.strip().partition(";dur=")
                if dur:
                    phases[key] = float(dur)
    return status, body.decode("utf-8", "replace"), phases


async def post_one(url: str, form: dict[str, str], secret: str) -> tuple[int, str, dict[str, float]]:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(signed_request(parts.netloc, parts.path or "/", urlencode(form).encode(), secret))
        await writer.drain()
        return parse_response(await reader.read())
    finally:
        writer.close()


async def send_all(plan: dict) -> list[Result]:
    urls, rate, forms, secret = plan["urls"], plan["rate"], plan["forms"], plan["secret"]
    results: list[Result] = []

    async def one(i: int, due: float) -> None:
        started, wall = time.perf_counter(), time.time()
        late = started - due
        try:
            status, text, phases = await asyncio.wait_for(
                post_one(urls[i % len(urls)], forms[i], secret), TIMEOUT
            )
        except (OSError, TimeoutError, ValueError):  # a reset or a timeout is an ack Slack never got
            status, text, phases = 0, "", {}
        took = time.perf_counter() - started
        results.append((forms[i]["response_url"], wall, took, status, BUSY_WORDS in text, phases, late))

    tasks = []
    start = time.perf_counter() + 0.05
    for i in range(len(forms)):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    return results


def main() -> None:
    plan = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(send_all(plan))))


if __name__ == "__main__":
    main()

"""The floor under bench_load's ack figures: the same sender against an HTTP server that does nothing
(uvicorn + Starlette, like `serve`, answering 200 at once), at the same rate, on the same machine at
the same moment. What this server's acks take is the machine's share (scheduling, loopback, uvicorn),
not the bot's.

    python benchmarks/load_floor.py PORT      # serves until killed
"""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


async def events(request: Request) -> Response:
    await request.body()
    return Response(status_code=200)


def main() -> None:
    app = Starlette(routes=[Route("/slack/events", events, methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")


if __name__ == "__main__":
    main()

"""A real SMTP server for the subscriber benchmark: aiosmtpd on 127.0.0.1:PORT, in its own
process. It accepts every message, keeps none, and writes to STATUS (JSON, replaced
atomically, every 0.2 s) how many arrived, when the first and the last did (Unix time), and
how many were not well-formed (no To, no unsubscribe link).

    python bench/smtp_sink.py PORT STATUS
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class CountingHandler:
    def __init__(self) -> None:
        self.count = 0
        self.malformed = 0
        self.first = 0.0
        self.last = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        now = time.time()
        if not self.count:
            self.first = now
        self.count += 1
        self.last = now
        if b"\nTo: " not in envelope.content or b"List-Unsubscribe:" not in envelope.content:
            self.malformed += 1
        return "250 Message accepted for delivery"

    def status(self) -> dict[str, float]:
        return {
            "count": self.count,
            "malformed": self.malformed,
            "first": self.first,
            "last": self.last,
        }


def main() -> None:
    port, status = int(sys.argv[1]), Path(sys.argv[2])
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    partial = status.with_suffix(".tmp")
    while not stop.wait(0.2):
        partial.write_text(json.dumps(handler.status()))
        os.replace(partial, status)
    controller.stop()
    status.write_text(json.dumps(handler.status()))


if __name__ == "__main__":
    main()

"""A progress bar on a terminal for long commands (``./dev register import``), with
no dependency: drawn on stderr only when stderr is a terminal, so that cron's mail,
a log file and a test's captured output get the summary alone."""

from __future__ import annotations

import time


class Bar:
    """``bar(label, done, total)`` redraws one line (``total`` None: a count only);
    ``bar.close()`` clears it. At most ten redraws a second."""

    WIDTH = 30

    def __init__(self, stream, *, every: float = 0.1) -> None:
        self.stream = stream
        self.on = bool(getattr(stream, "isatty", lambda: False)())
        self.every = every
        self._drawn_at = 0.0
        self._drawn = False

    def __call__(self, label: str, done: int, total: int | None = None) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if now - self._drawn_at < self.every and not (total and done >= total):
            return
        self._drawn_at = now
        if total:
            filled = min(self.WIDTH, self.WIDTH * done // total)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            line = f"{label} [{bar}] {100 * done // total:3d}% {done:,}/{total:,}"
        else:
            line = f"{label} {done:,}"
        self.stream.write(f"\r{line}\033[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False

"""Print HTML to PDF with headless Chromium (Debian's `chromium`), for the printed-sheet tests.

Without Chromium the tests that need it are skipped on a developer's machine, but fail in CI
(where the CI variable is set and .ci/run installs Chromium), so they can never pass unseen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 90  # seconds; a print takes about two on a laptop


def find_chromium() -> str | None:
    """The Chromium executable on PATH, or None."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium executable; skip without it, except in CI, where that is a failure."""
    found = find_chromium()
    if found is None:
        message = "headless Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must install it (.ci/run)")
        pytest.skip(message)
    return found


def headless_flags(profile: str) -> list[str]:
    """Headless Chromium that runs as root in CI, offline, with its own profile folder."""
    return [
        "--headless",
        "--no-sandbox",  # CI containers run as root, where the sandbox cannot start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]


def print_to_pdf(html: Path, pdf: Path) -> Path:
    """Print `html` to `pdf` as Chromium's print dialog would, without headers or footers."""
    browser = require_chromium()
    with tempfile.TemporaryDirectory(prefix="drill-chromium-") as profile:
        command = [
            browser,
            *headless_flags(profile),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            Path(html).resolve().as_uri(),
        ]
        env = dict(os.environ, HOME=profile)
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = "\n".join(done.stderr.splitlines()[-15:])
        raise AssertionError(f"Chromium did not print {html} (exit {done.returncode}):\n{tail}")
    return pdf

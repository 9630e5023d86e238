"""A real headless Chromium driven over the DevTools protocol, for the dashboard tests.

Debian's ``chromium`` is installed with apt-get when ``/usr/bin/chromium`` is missing (as root).
The browser listens on a loopback port it picks itself (``--remote-debugging-port=0``, read
back from ``DevToolsActivePort``); the test talks to the page through ``websockets``' sync
client, with proxies off. Console errors, uncaught exceptions and error log entries (CSP
violations, failed loads) are collected from the moment the page target is attached.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)


def ensure_chromium() -> Path:
    """Return Debian's chromium, installing it with apt-get first when missing.

    :raises RuntimeError: when it is missing and cannot be installed (not root, apt failed).
    """
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise RuntimeError(f"{CHROMIUM} is missing; install it: apt-get install -y chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return CHROMIUM


class Browser:
    """One headless Chromium with one page attached over the DevTools protocol."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 1000) -> None:
        self.profile = profile
        (profile / "DevToolsActivePort").unlink(missing_ok=True)  # a reused profile's is stale
        self.proc = subprocess.Popen(
            [
                str(ensure_chromium()),
                *FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(profile.parent / "chromium.log").open("wb"),
        )
        self.events: list[dict[str, Any]] = []
        self._id = 0
        try:
            self.ws = connect(self._page_socket(), proxy=None, max_size=None, open_timeout=30)
        except BaseException:
            self._end()  # no browser left behind when the page cannot be reached
            raise
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def _page_socket(self, timeout: float = 30.0) -> str:
        """The WebSocket URL of the page target, once the browser has written its port."""
        port_file, deadline = self.profile / "DevToolsActivePort", time.monotonic() + timeout
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}")
            if port_file.exists() and port_file.read_text().strip():
                port = port_file.read_text().split()[0]
                with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=5) as answer:
                    pages = [t for t in json.load(answer) if t.get("type") == "page"]
                if pages:
                    return str(pages[0]["webSocketDebuggerUrl"])
            time.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port in time")

    def call(self, method: str, timeout: float = 60.0, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events received meanwhile are kept."""
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its JSON value.

        :raises RuntimeError: when the expression throws.
        """
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, ready: str, timeout: float = 60.0) -> float:
        """Navigate to ``url`` and wait until ``ready`` (a JS expression) is true; return seconds."""
        began = time.monotonic()
        self.call("Page.navigate", url=url)
        while not self.evaluate(f"Boolean({ready})"):
            if time.monotonic() - began > timeout:
                raise TimeoutError(f"{url} was not ready ({ready}) after {timeout:.0f} s")
            time.sleep(0.05)
        return time.monotonic() - began

    def mouse(self, kind: str, x: float, y: float) -> None:
        """Dispatch one mouse event (``mouseMoved``, ``mousePressed``, ``mouseReleased``)."""
        if kind == "mouseMoved":
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y)
        else:
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries seen so far."""
        self.evaluate("0")  # drain pending events
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails']}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        return found

    def screenshot(self, out: Path) -> Path:
        """Save a PNG of the whole page (beyond the viewport) to ``out``."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 12000), "scale": 1}
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))
        return out

    def close(self) -> None:
        """Close the connection and end this browser (only the process started here)."""
        try:
            self.ws.close()
        finally:
            self._end()

    def _end(self) -> None:
        """End the browser process started here."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

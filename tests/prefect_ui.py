"""The Prefect UI as a person sees it: its run list, read in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from headless_chromium import Browser


def flow_runs(api: str, tags: list[str] | None = None) -> list[dict[str, object]]:
    """The flow runs the server at ``api`` holds (those with every tag in ``tags``), newest first."""
    body: dict[str, object] = {"limit": 20, "sort": "START_TIME_DESC"}
    if tags:
        body["flow_runs"] = {"tags": {"all_": tags}}
    response = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=5)
    response.raise_for_status()
    return list(response.json())


def run_list_text(ui: str, run_name: str, profile: Path) -> str:
    """The text of the UI's run list at ``ui``/runs once it shows the run ``run_name`` (the UI
    asks its API from the browser, so this fails when the UI names the wrong API address)."""
    browser = Browser(profile)
    try:
        row = json.dumps(f"pipeline\n{run_name}")  # the run's row: its flow's name, then its own
        shows = f"document.body && document.body.innerText.includes({row})"
        browser.open(f"{ui}/runs", shows, timeout=60)
        return str(browser.evaluate("document.body.innerText"))
    finally:
        browser.close()

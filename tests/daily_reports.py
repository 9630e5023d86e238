"""Invented daily-report pages in the shape a ministry's site serves them (written for these
tests; no site's page is copied): a menu, a sidebar of other days' reports with their dates and
a teaser figure, the report under a heading "... from 24.02 to DD.MM" with a date line
"YYYY-MM-DD 07:00:00 | ID: N", its list of items ("tanks ‒ 1440 (+6)"), and a footer. No date
metadata, no canonical link; ``og_url`` gives every page the same bogus ``og:url`` when set.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

ITEMS = ("personnel", "tanks", "armoured combat vehicles", "artillery systems", "aircraft")
BASE = {"personnel": 19000, "tanks": 700, "armoured combat vehicles": 1900, "artillery systems": 340, "aircraft": 150}
STEP = {"personnel": 300, "tanks": 6, "armoured combat vehicles": 20, "artillery systems": 4, "aircraft": 1}
FIRST_DAY = date(2022, 4, 11)
SIDEBAR_TEASER = "tanks ‒ 9999 (+99)"  # a figure no page's own report holds


def totals(day: date) -> dict[str, tuple[int, int]]:
    """Each item's cumulative figure and one-day change on ``day`` (invented: each day's total is
    the day before's plus the day's change)."""
    n = (day - FIRST_DAY).days
    changes = {item: [STEP[item] + k % 3 for k in range(n + 1)] for item in ITEMS}
    return {item: (BASE[item] + sum(changes[item]), changes[item][-1]) for item in ITEMS}


def report_id(day: date) -> int:
    return 67000 + (day - FIRST_DAY).days


def sidebar(day: date, sidebar_class: str) -> str:
    """Headlines of the seven days after ``day`` (the newest reports), each dated, with a teaser."""
    items = "".join(
        f'<li><span class="date">{d:%d.%m.%Y}</span> <a href="/en/news/{report_id(d)}">Total combat losses of '
        f"the enemy from 24.02 to {d:%d.%m}</a> <span>{SIDEBAR_TEASER}</span></li>"
        for d in (day + timedelta(days=k) for k in range(7, 0, -1))
    )
    return f'<div class="{sidebar_class}"><h3>Latest news</h3><ul>{items}</ul></div>'


def report_page(day: date, og_url: str | None = None, sidebar_class: str = "col-md-4 news-list") -> str:
    """The HTML page of the report of ``day`` (see the module docstring)."""
    listed = ",\n".join(
        f"<br>{item} ‒ {'about ' if item == 'personnel' else ''}{total} (+{change})"
        for item, (total, change) in totals(day).items()
    )
    og = f'<meta property="og:url" content="{og_url}">' if og_url else ""
    title = f"General Staff: total combat losses of the enemy from 24.02 to {day:%d.%m}"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Ministry of Defence</title>{og}
<meta name="description" content="Daily report of the General Staff"></head><body>
<div class="top-menu"><ul><li><a href="/en/">Home</a></li><li><a href="/en/news">News</a></li>
<li><a href="/en/ministry">Ministry</a></li><li><a href="/en/contacts">Contacts</a></li></ul></div>
<div class="container">{sidebar(day, sidebar_class)}
<div class="col-md-8"><h1>{title}</h1>
<div class="news-info">{day:%Y-%m-%d} 07:00:00 | ID: {report_id(day)}</div>
<p>The total combat losses of the enemy from 24.02 to {day:%d.%m} were approximately:
{listed}.</p>
<p>Data are being updated. The calculation is complicated by the high intensity of hostilities.
The figures are given for day {(day - date(2022, 2, 24)).days + 1} of the full-scale invasion.</p></div></div>
<div class="bottom">© 2015–2022 Ministry of Defence. All rights reserved.</div></body></html>"""


def write_reports(folder: Path, days: int, og_url: str | None = None) -> list[date]:
    """Write the reports of ``days`` days from ``FIRST_DAY`` into ``folder`` as ``report-N.html``;
    return their dates."""
    folder.mkdir(parents=True, exist_ok=True)
    dates = [FIRST_DAY + timedelta(days=k) for k in range(days)]
    for day in dates:
        (folder / f"report-{report_id(day)}.html").write_text(report_page(day, og_url), encoding="utf-8")
    return dates

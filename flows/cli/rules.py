"""``claimtrack rules-check``: validate the rule tables in data/ and run their inline examples."""

from __future__ import annotations

import click

from claimtrack.cli.options import Command, handle_errors


@click.command("rules-check", cls=Command)
@handle_errors
def rules_check_command() -> None:
    """Validate every rule table in data/ and run every inline example.

    Run it after editing a YAML table: it names the file, the rule and the fix of a broken
    table, and lists each example that no longer holds. Exit status 1 when anything fails.

    \b
    Examples:
      claimtrack rules-check
    """
    from claimtrack.transforms.claims import check_all
    from claimtrack.transforms.forecasts import forecast_examples, has_forecast_wording

    count, failures = check_all()
    forecasts = forecast_examples()
    count += len(forecasts)
    failures += [
        f"data/vocab/forecasts.yaml: {ex['sentence']!r}: forecast should be {ex['forecast']}"
        for ex in forecasts
        if has_forecast_wording(ex["sentence"]) != ex["forecast"]
    ]
    for failure in failures:
        click.echo(failure, err=True)
    if failures:
        raise click.ClickException(f"{len(failures)} of {count} rule examples fail")
    click.echo(f"rules-check: every table loads; {count} inline examples hold")

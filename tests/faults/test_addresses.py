"""A feed must not reach inside the user's network: loopback, private, link-local, multicast and
reserved addresses are refused by default, in every spelling, on every redirect hop, over HTTP
and HTTPS, before a byte is sent; each redirect target's robots.txt is read and obeyed; a run
records each refused input as a failure row; a source (or [fetch]) that allows private
addresses reads them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from canary import self_signed, serve
from faults_util import FAST_FETCH, run, stored

from claimtrack.ingest import FetchError, FetchSettings, fetch
from claimtrack.ingest.polite import polite_fetch

LOOPBACK_FORMS = ["127.0.0.1", "2130706433", "0x7f.1", "017700000001", "127.1", "localhost", "[::ffff:127.0.0.1]"]
ELSEWHERE = {  # host -> the words of the reason
    "169.254.169.254": "is a link-local address",
    "[fe80::1]": "is a link-local address",
    "10.20.30.40": "is a private or special-purpose address",
    "192.168.1.1": "is a private or special-purpose address",
    "[fd00::1]": "is a private or special-purpose address",
    "0.0.0.0": "is the unspecified address",
    "224.0.0.1": "is a multicast address",
    "240.0.0.1": "is a private or special-purpose address",
    "100.64.0.1": "is not a globally reachable address",
}
STRICT = {**FAST_FETCH, "allow_private_addresses": False}


def test_every_spelling_of_loopback_is_refused_before_a_byte_is_sent() -> None:
    with serve("127.0.0.1") as canary:
        port = canary.server_address[1]
        for host in LOOPBACK_FORMS:
            with pytest.raises(FetchError) as info:
                fetch(f"http://{host}:{port}/secret")
            assert not info.value.transient
            assert info.value.reason.startswith(f"refused: {host.strip('[]')}") and "loopback" in info.value.reason
            assert "allow_private_addresses = true" in info.value.reason and "\n" not in info.value.reason
        assert canary.paths == []
        assert fetch(canary.url("/page"), allow_private=True).status == 200  # the server was there all along


@pytest.mark.parametrize(("host", "words"), sorted(ELSEWHERE.items()))
def test_link_local_private_multicast_and_reserved_addresses_are_refused_at_once(host: str, words: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=f"^refused: .*{words}; to read an intranet") as info:
        fetch(f"http://{host}/latest/meta-data/", timeout=5.0)
    assert time.monotonic() - started < 1  # refused, not tried: nothing listens there
    assert not info.value.transient


def test_a_redirect_into_the_network_is_refused_at_that_hop() -> None:
    with serve("127.0.0.1") as site, serve("127.0.0.2") as canary:
        allowed = ["127.0.0.1/32"]  # the site only: its redirect targets are checked on their own
        for target in (
            canary.url("/secret"),
            "http://169.254.169.254/x",
            f"http://0x7f.2:{canary.server_address[1]}/s",
        ):
            with pytest.raises(FetchError) as info:
                fetch(site.url(f"/go?to={target}"), networks=allowed)
            assert info.value.url == site.url(f"/go?to={target}")
            assert info.value.reason.startswith(f"redirected to {target}: refused: ")
        assert fetch(site.url(f"/go?to={site.url('/page')}"), networks=allowed).final_url == site.url("/page")
        assert canary.paths == []


def test_https_is_checked_the_same_way_and_still_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context, certificate = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # the client trusts our certificate
    with serve("127.0.0.1", tls=context) as site, serve("127.0.0.2") as canary:
        with pytest.raises(FetchError, match=r"^refused: 127\.0\.0\.1 is a loopback address"):
            fetch(site.url("/page"))
        page = fetch(site.url("/page"), networks=["127.0.0.1/32"])
        assert page.status == 200 and b"700,000 troops" in page.body
        with pytest.raises(FetchError, match=r"redirected to http://127\.0\.0\.2:\d+/secret: refused: 127\.0\.0\.2"):
            fetch(site.url(f"/go?to={canary.url('/secret')}"), networks=["127.0.0.1/32"])
        assert canary.paths == [] and site.paths == ["/page", f"/go?to={canary.url('/secret')}"]


def test_each_redirect_target_s_robots_txt_is_read_and_obeyed() -> None:
    settings = FetchSettings(allow_private_addresses=True, host_delay=0.0, retries=0)
    with serve("127.0.0.1") as first, serve("127.0.0.1") as second:  # two ports: two hosts
        with pytest.raises(FetchError) as info:
            polite_fetch(first.url(f"/go?to={second.url('/private/x')}"), settings)
        assert info.value.reason == f"redirected to {second.url('/private/x')}: disallowed by robots.txt"
        assert not info.value.transient
        page = polite_fetch(first.url(f"/go?to={second.url('/page')}"), settings)
        assert page.final_url == second.url("/page")
    assert second.paths == ["/robots.txt", "/page"]  # read once, obeyed, never the private page
    assert first.paths.count("/robots.txt") == 1


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_refuses_private_inputs_as_failure_rows_unless_a_source_allows_them(db: Path, tmp_path: Path) -> None:
    with serve("127.0.0.1") as site:
        urls = [site.url("/page"), f"http://2130706433:{site.server_address[1]}/other", "http://169.254.169.254/"]
        summary = run(db, *urls, fetch_settings=STRICT)
        assert (summary["articles_read"], summary["failures"]) == (0, 3)
        reasons = dict(stored(db, "select input, stage || ': ' || reason from failures"))
        assert all(reasons[url].startswith("fetch: refused: ") for url in urls)
        assert site.paths == []
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "intranet"\nkind = "page"\nlocation = "{site.url("/page")}"\n'
            "allow_private_addresses = true\n"
            f'[[source]]\nname = "intranet-feed"\nkind = "feed"\nlocation = "{site.url("/feed?n=2")}"\n'
            "allow_private_addresses = true\n"
        )
        summary = run(db, "intranet", sources_file=str(sources), fetch_settings=STRICT)
        assert (summary["articles_read"], summary["failures"]) == (1, 0)
        assert stored(db, "select url, source from articles") == [(site.url("/page"), "intranet")]
        summary = run(db, "intranet-feed", sources_file=str(sources), fetch_settings=STRICT)  # its items too
        assert (summary["articles_read"], summary["failures"]) == (2, 0)
        assert stored(db, "select url from articles where source = 'intranet-feed' order by url") == [
            (site.url("/slow/0"),),
            (site.url("/slow/1"),),
        ]
        assert run(db, site.url("/feed?n=2"), fetch_settings=STRICT, refresh=True)["failures"] == 1  # not as a URL

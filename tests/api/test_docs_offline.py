"""/docs and /redoc work without a network: every asset they reference is served here."""

from __future__ import annotations

import re

import pytest

from app import __version__


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_reference_only_local_assets_that_are_served(client, page):
    res = client.get(page)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert not re.findall(r"https?://", res.text)  # no CDN, no web fonts
    assets = re.findall(r'(?:src|href)="([^"]+)"', res.text)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        got = client.get(asset)
        assert got.status_code == 200, asset
        assert len(got.content) > 500, asset
    if page == "/docs":
        assert "SwaggerUIBundle" in client.get(next(a for a in assets if a.endswith(".js"))).text
        assert "url: '/openapi.json'" in res.text


def test_openapi_names_the_package_and_the_loaded_model(client, moderator):
    info = client.get("/openapi.json").json()["info"]
    assert info["version"] == __version__ == "1.3.0"
    assert info["x-model-version"] == moderator.version
    assert f"model **{moderator.version}**" in info["description"]


def test_the_package_version_is_written_once():
    from importlib.metadata import version

    assert version("comment-moderator") == __version__

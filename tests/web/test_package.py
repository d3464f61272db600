"""The web client ships as package data, and its third-party code is the pinned, licensed release."""

from __future__ import annotations

import hashlib
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from server.webfiles import INDEX, STATIC, WebFiles

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "server" / "web"
# sha256 of dist.umd/msgpack.min.js in `npm pack @msgpack/msgpack@3.1.2` (see docs/web.md)
MSGPACK_SHA256 = "c503029f21b821097f050be0d0ae8f87e211e2ca29bedeed39272b0b9cd4eb28"


def test_every_served_file_is_package_data() -> None:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["server"]
    served = [INDEX[0], *(name for name, _ in STATIC.values())]
    for name in served:
        assert any(fnmatch(name, g.removeprefix("web/")) for g in globs), f"{name} would be missing from pip install ."
    on_disk = sorted(str(p.relative_to(WEB)) for p in WEB.rglob("*") if p.is_file())
    assert sorted(served) == on_disk, "every file in server/web is served, and nothing else is there"


def test_the_page_loads_only_what_is_served_and_nothing_from_elsewhere() -> None:
    html = (WEB / INDEX[0]).read_text()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    routes = WebFiles(with_map=False).routes
    for ref in refs:
        if ref.startswith("data:") or ref.startswith("#"):
            continue
        assert "/" + ref in routes, ref
    for name in ("app.js", "screens.js", "wire.js", "i18n.js", "style.css", INDEX[0]):
        text = (WEB / name).read_text()
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)[\w.-]", text), f"{name} refers to the internet"


def test_vendored_msgpack_is_the_pinned_release_with_its_licence() -> None:
    data = (WEB / "vendor" / "msgpack-3.1.2.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == MSGPACK_SHA256
    licence = (WEB / "vendor" / "msgpack-LICENSE.txt").read_text()
    assert "Copyright 2019 The MessagePack Community" in licence

"""A PEP 517 build backend for the rulebook package, standard library only.

The package is pure Python with no dependencies, so a wheel is a zip of the
``rulebook`` directory and its metadata. Writing it here means pip needs
nothing from a package index: ``pip install bindings/python`` works on a
machine without network access. Hooks: build_wheel, build_sdist,
build_editable (PEP 660) and their metadata and requirement hooks.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "rulebook"
# Files of the source tree that go into an sdist, relative to ROOT.
SDIST_FILES = ["pyproject.toml", "README.md", "build_backend/rulebook_build.py"]
# A fixed date inside archives (1980-01-01, the zip epoch) keeps builds
# reproducible, unless SOURCE_DATE_EPOCH says otherwise.
_EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))


def _project() -> dict:
    """The [project] table of pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # Python < 3.11: the few keys used here are plain strings
        table, project = None, {}
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("["):
                table = line
            elif table == "[project]":
                m = re.match(r'([A-Za-z-]+)\s*=\s*"([^"]*)"\s*$', line)
                if m:
                    project[m.group(1)] = m.group(2)
        return project
    return tomllib.loads(text)["project"]


def _dist_info_name() -> str:
    p = _project()
    return f"{p['name']}-{p['version']}.dist-info"


def _metadata() -> str:
    p = _project()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {p['name']}",
        f"Version: {p['version']}",
        f"Summary: {p.get('description', '')}",
    ]
    license_ = p.get("license")
    if isinstance(license_, dict) and "text" in license_:
        lines.append(f"License: {license_['text']}")
    if "requires-python" in p:
        lines.append(f"Requires-Python: {p['requires-python']}")
    for c in p.get("classifiers", []) if isinstance(p.get("classifiers"), list) else []:
        lines.append(f"Classifier: {c}")
    readme = ROOT / "README.md"
    body = ""
    if readme.is_file():
        lines.append("Description-Content-Type: text/markdown")
        body = "\n" + readme.read_text(encoding="utf-8")
    return "\n".join(lines) + "\n" + body


_WHEEL = ("Wheel-Version: 1.0\n"
          "Generator: rulebook_build\n"
          "Root-Is-Purelib: true\n"
          "Tag: py3-none-any\n")


def _wheel_name() -> str:
    p = _project()
    return f"{p['name']}-{p['version']}-py3-none-any.whl"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _package_files():
    """(name inside the wheel, bytes) of every file of the package."""
    pkg = ROOT / PACKAGE
    for path in sorted(pkg.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        yield path.relative_to(ROOT).as_posix(), path.read_bytes()


def _write_wheel(directory: str, files) -> str:
    dist_info = _dist_info_name()
    files = list(files) + [
        (f"{dist_info}/METADATA", _metadata().encode()),
        (f"{dist_info}/WHEEL", _WHEEL.encode()),
        (f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode()),
    ]
    record = [_record_line(n, d) for n, d in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    name = _wheel_name()
    stamp = time.gmtime(max(_EPOCH, 315532800))[:6]
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in files:
            info = zipfile.ZipInfo(n, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, d)
    return name


# --- PEP 517 -----------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = Path(metadata_directory) / _dist_info_name()
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(_metadata(), encoding="utf-8")
    (dist_info / "WHEEL").write_text(_WHEEL, encoding="utf-8")
    return dist_info.name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, _package_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """A wheel whose only file is a .pth pointing at this source tree."""
    pth = f"{ROOT}\n".encode()
    return _write_wheel(wheel_directory, [(f"__editable__.{PACKAGE}.pth", pth)])


def build_sdist(sdist_directory, config_settings=None):
    p = _project()
    base = f"{p['name']}-{p['version']}"
    name = f"{base}.tar.gz"
    entries = [(f, (ROOT / f).read_bytes()) for f in SDIST_FILES if (ROOT / f).is_file()]
    entries += list(_package_files())
    entries.append(("PKG-INFO", _metadata().encode()))
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as tf:
        for n, d in entries:
            info = tarfile.TarInfo(f"{base}/{n}")
            info.size = len(d)
            info.mode = 0o644
            info.mtime = _EPOCH
            tf.addfile(info, io.BytesIO(d))
    return name

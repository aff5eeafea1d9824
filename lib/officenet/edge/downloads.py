"""Files handed to the reader's browser as download links that need no file server.

JupyterLab serves only the folder it was started in, and Voila serves no file it was not told to, so
a link to ``../build/...`` is a 404 in both. A link whose address is the file itself (a ``data:``
URI, with the ``download`` attribute naming the file) works in both, and in a saved page. ``zip_bytes``
packs several files into one archive, the same bytes for the same files (fixed dates, sorted names).
"""
from __future__ import annotations

import base64
import html
import io
import zipfile
from pathlib import Path
from typing import Mapping

MIME = {".yaml": "application/yaml", ".csv": "text/csv", ".zip": "application/zip"}
FIXED_DATE = (2013, 1, 1, 0, 0, 0)  # zip needs a date; a fixed one keeps the archive reproducible


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip archive of {name in the archive: content}, deterministic."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def download_link(name: str, data: bytes, text: str | None = None) -> str:
    """An HTML link that saves ``data`` as ``name`` (the last part of it) when clicked."""
    mime = MIME.get(Path(name).suffix, "text/plain")
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'<a class="officenet-download" download="{html.escape(Path(name).name)}" href="{uri}">'
            f"{html.escape(text or name)}</a>")


def folder_files(folder: str | Path, paths) -> dict[str, bytes]:
    """{path relative to ``folder``: bytes} of written files."""
    folder = Path(folder)
    return {Path(p).relative_to(folder).as_posix(): Path(p).read_bytes() for p in paths}


def downloads_html(folder: str | Path, paths, archive: str) -> str:
    """A link per file and one to a zip of them all (``archive``.zip, the files inside a folder of that name)."""
    files = folder_files(folder, paths)
    packed = zip_bytes({f"{archive}/{name}": data for name, data in files.items()})
    items = "".join(f"<li>{download_link(name, data)} <small>({len(data):,} bytes)</small></li>"
                    for name, data in files.items())
    return (f"<p>{download_link(archive + '.zip', packed, f'⬇ Download all {len(files)} files ({archive}.zip)')}"
            f"</p><ul>{items}</ul>")

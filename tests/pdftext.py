"""Reading the words back out of the app's PDFs, without a PDF library.

Neither pypdf nor poppler's pdftotext is installed, and the app's PDFs all come from matplotlib's
PDF backend, which writes a small, regular subset of PDF: the document's title in the Info
dictionary (ASCII, or UTF-16BE with a byte-order mark), and each text as literal strings in
zlib-compressed page streams, one `BT … ET` block per text, split where letters are kerned.
Good enough to ask "does the report name the team and the month", nothing more.
"""

import codecs
import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_BLOCK = re.compile(rb"BT\b(.*?)\bET", re.DOTALL)
_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape(literal: bytes) -> bytes:
    """A PDF literal string's bytes, its parentheses and backslash escapes taken away."""
    return re.sub(rb"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), literal[1:-1])


def _decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF16_BE):
        return raw[2:].decode("utf-16-be")
    return raw.decode("latin-1")


def title(pdf: bytes) -> str:
    """The document title (the Info dictionary's /Title), "" if it has none."""
    found = re.search(rb"/Title\s*(\((?:\\.|[^\\)])*\))", pdf, re.DOTALL)
    return _decode(_unescape(found.group(1))) if found else ""


def text(pdf: bytes) -> str:
    """Every text drawn on the pages, one line each, kerned pieces joined again."""
    lines = []
    for stream in _STREAM.findall(pdf):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue  # an image or a font program, not a page
        for block in _BLOCK.findall(content):
            pieces = [_decode(_unescape(piece)) for piece in _LITERAL.findall(block)]
            if pieces:
                lines.append("".join(pieces))
    return "\n".join(lines)

"""The privacy policy and the terms of use as web pages: ``legal_pages.handler``.

The deployed stack (infrastructure/cfn-deployer/skill-stack.yaml) runs this module from the same
zip as the skill, in its own function with no access to the runners' table, behind a public
Lambda function URL: GET ``/privacy`` and ``/terms`` answer docs/privacy-policy.md and
docs/terms-of-use.md (shipped in the zip as ``legal/``) as HTML; anything else is a 404. The
Markdown is the small subset those documents use (headings, paragraphs, lists, bold, inline code),
escaped before it is marked up.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# In the zip the documents are in legal/ beside this module; in the source tree, in docs/.
FOLDERS = (HERE / "legal", HERE.parent / "docs")
PAGES = {"/privacy": "privacy-policy.md", "/terms": "terms-of-use.md"}
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return _CODE.sub(r"<code>\1</code>", _BOLD.sub(r"<strong>\1</strong>", escaped))


def render(markdown: str) -> str:
    """A complete HTML page for the Markdown subset the legal documents use."""
    body: list[str] = []
    paragraph: list[str] = []
    in_list = False

    def close() -> None:
        nonlocal in_list
        if paragraph:
            body.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if in_list:
            body.append("</ul>")
            in_list = False

    title = "Hip Coach"
    for raw in markdown.splitlines():
        line = raw.strip()
        heading = re.match(r"(#{1,4})\s+(.*)", line)
        if not line:
            close()
        elif heading:
            close()
            level = len(heading.group(1))
            if level == 1:
                title = heading.group(2)
            body.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif line.startswith(("- ", "* ")):
            if paragraph:
                body.append(f"<p>{_inline(' '.join(paragraph))}</p>")
                paragraph.clear()
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{_inline(line[2:])}</li>")
        elif in_list and raw.startswith("  "):  # a list item's continuation line
            body[-1] = body[-1].removesuffix("</li>") + " " + _inline(line) + "</li>"
        else:
            if in_list:
                close()
            paragraph.append(line)
    close()
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em;"
        "line-height:1.5}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


@cache
def page(path: str) -> str | None:
    name = PAGES.get(path.rstrip("/") or "/")
    if name is None:
        return None
    folder = next(f for f in FOLDERS if (f / name).is_file())
    return render((folder / name).read_text(encoding="utf-8"))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A Lambda function URL request (payload format 2.0) -> the page, or 404."""
    method = event.get("requestContext", {}).get("http", {}).get("method", "GET")
    path = event.get("rawPath") or "/"
    found = page(path) if method in {"GET", "HEAD"} and isinstance(path, str) else None
    if found is None:
        return {
            "statusCode": 404,
            "headers": {"Content-Type": "text/plain; charset=utf-8"},
            "body": "Not found. The pages are /privacy and /terms.\n",
        }
    return {
        "statusCode": 200,
        "headers": {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "public, max-age=3600",
            "X-Content-Type-Options": "nosniff",
        },
        "body": "" if method == "HEAD" else found,
    }

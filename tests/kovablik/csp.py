"""What a Content-Security-Policy without 'unsafe-inline' would block, found in HTML text."""

import re

TAG = re.compile(r"<[a-zA-Z][^>]*>")
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
JSON_DATA = re.compile(r"""type\s*=\s*["']application/json["']""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


def csp_violations(source: str, *, allow_json_data: bool = False) -> list[str]:
    """Inline scripts, styles, handlers and javascript: URLs in a template or a page.

    ``allow_json_data`` accepts ``<script type="application/json">``, which is what
    ``json_script`` renders: data, never executed.
    """
    problems = []
    for attributes, body in SCRIPT.findall(source):
        if allow_json_data and JSON_DATA.search(attributes):
            continue
        if body.strip() or "src=" not in attributes:
            problems.append("inline <script> (put the code in static/js, data in json_script)")
    if STYLE_ELEMENT.search(source):
        problems.append("<style> element (put the rules in static/css)")
    for tag in TAG.findall(source):
        if STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style= attribute in {tag[:60]}")
        if EVENT_HANDLER.search(tag):
            problems.append(f"inline event handler in {tag[:60]}")
        if JS_URL.search(tag):
            problems.append(f"javascript: URL in {tag[:60]}")
    return problems

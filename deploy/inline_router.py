"""Copy deploy/preview-router.js into deploy/sitegen.yaml (PreviewRouterFunction's FunctionCode).

    .venv/bin/python deploy/inline_router.py

CloudFormation takes a CloudFront Function's code inline, so the template holds a copy of the file,
with PREVIEW_DOMAIN set from the PreviewDomain parameter (`!Sub`). Run this after editing the file;
tests/test_preview_router.py fails while the two differ.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUTER = HERE / "preview-router.js"
TEMPLATE = HERE / "sitegen.yaml"
DOMAIN_LINE = "var PREVIEW_DOMAIN = 'preview.example.org';"
START = "      FunctionCode: !Sub |\n"   # within PreviewRouterFunction
END = "\n  # Every preview answer says noindex"
INDENT = " " * 8


def function_code(script: str) -> str:
    """SCRIPT (the router's text) as the template's `!Sub` string: the domain from the parameter.
    Raises ValueError for a script without its one domain line, or one holding '${' (!Sub would
    read it)."""
    if script.count(DOMAIN_LINE) != 1 or "${" in script:
        raise ValueError(f"{ROUTER.name} must hold {DOMAIN_LINE!r} once and no '${{'")
    return script.replace(DOMAIN_LINE, "var PREVIEW_DOMAIN = '${PreviewDomain}';")


def inlined(template: str, script: str) -> str:
    """TEMPLATE's text with the router function's code replaced by SCRIPT's."""
    start = template.index(START, template.index("  PreviewRouterFunction:")) + len(START)
    end = template.index(END, start)
    block = "".join(INDENT + line if line.strip() else line
                    for line in function_code(script).splitlines(keepends=True))
    return template[:start] + block + template[end:]


def main() -> None:
    before = TEMPLATE.read_text(encoding="utf-8")
    after = inlined(before, ROUTER.read_text(encoding="utf-8"))
    if after != before:
        TEMPLATE.write_text(after, encoding="utf-8")
    print(f"{TEMPLATE.name}: {'updated' if after != before else 'already the same'}")


if __name__ == "__main__":
    main()

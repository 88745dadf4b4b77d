"""`manage.py subset_icons` (`make icons`): the icon font cut down to the icons the portal uses.

Bootstrap Icons ships ~2,000 glyphs in a 131 KB woff2; the portal shows a few dozen, and the
font was half of every page's weight. This command finds the icons the templates, scripts and
Python code name, keeps only those glyphs (fontTools' subsetter, installed with WeasyPrint) and
writes a woff2 and a stylesheet with only their rules beside the vendored package. Run it after
using a new icon; tests/portal/test_icons.py fails until then.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap-icons-1.13.2"
SOURCE_CSS = VENDOR / "bootstrap-icons.min.css"
SOURCE_FONT = VENDOR / "fonts" / "bootstrap-icons.woff2"
SUBSET_CSS = VENDOR / "subset" / "bootstrap-icons.css"
SUBSET_FONT = VENDOR / "subset" / "bootstrap-icons.woff2"

# The Python packages whose dataclasses may carry an icon name (a field named `icon`).
PYTHON_PACKAGES = ("portal", "facilities", "assessments", "programs", "reporting", "public")

# `bi-name` written out; `bi-{{ item.icon }}` is dynamic and found in the Python code instead.
ICON_CLASS = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)\b(?!\s*\{)")
ICON_RULE = re.compile(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}')


def glyphs() -> dict[str, int]:
    """Every icon of the vendored package: name → code point."""
    text = SOURCE_CSS.read_text(encoding="utf-8")
    return {name: int(code, 16) for name, code in ICON_RULE.findall(text)}


def icons_in_markup(base: Path) -> set[str]:
    found: set[str] = set()
    for pattern in ("templates/**/*.html", "static/js/**/*.js", "static/css/*.css"):
        for path in base.glob(pattern):
            found.update(ICON_CLASS.findall(path.read_text(encoding="utf-8")))
    return found


def icons_in_python(base: Path) -> set[str]:
    """Icon names given to dataclasses that have an `icon` field (menu items, timeline events),
    positionally or by keyword."""
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for package in PYTHON_PACKAGES
        for path in (base / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    icon_position: dict[str, int] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                fields = [
                    item.target.id
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                ]
                if "icon" in fields:
                    icon_position[node.name] = fields.index("icon")
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in icon_position:
                continue
            position = icon_position[_name(node.func)]
            arguments: list[Any] = [k.value for k in node.keywords if k.arg == "icon"]
            if len(node.args) > position:
                arguments.append(node.args[position])
            found.update(
                arg.value
                for arg in arguments
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return found


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def icons_used(base: Path | None = None) -> set[str]:
    base = base or Path(settings.BASE_DIR)
    return icons_in_markup(base) | icons_in_python(base)


def subset_css(names: list[str], available: dict[str, int]) -> str:
    rules = "".join(f'.bi-{name}::before{{content:"\\{available[name]:x}"}}' for name in names)
    return (
        "/* Bootstrap Icons v1.13.2 (MIT, see ../LICENSE), only the icons the portal uses.\n"
        "   Written by `make icons` (portal/management/commands/subset_icons.py). */\n"
        # block: an icon's code point is a private-use character, never worth showing as text.
        "@font-face{font-display:block;font-family:bootstrap-icons;"
        'src:url("bootstrap-icons.woff2") format("woff2")}'
        '.bi::before,[class*=" bi-"]::before,[class^=bi-]::before{display:inline-block;'
        "font-family:bootstrap-icons!important;font-style:normal;font-weight:400!important;"
        "font-variant:normal;text-transform:none;line-height:1;vertical-align:-.125em;"
        "-webkit-font-smoothing:antialiased;-moz-osx-font-smoothing:grayscale}" + rules + "\n"
    )


class Command(BaseCommand):
    help = "Writes the icon font and stylesheet with only the icons the portal uses."

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here: fontTools is a WeasyPrint dependency the web pages never load.
        from fontTools import subset

        available = glyphs()
        used = sorted(icons_used())
        unknown = [name for name in used if name not in available]
        if unknown:
            raise CommandError(f"Not a Bootstrap Icons 1.13.2 icon: {', '.join(unknown)}")
        SUBSET_FONT.parent.mkdir(exist_ok=True)
        font_options = subset.Options()
        font_options.flavor = "woff2"
        font_options.layout_features = []
        font_options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
        font_options.notdef_outline = False
        font = subset.load_font(str(SOURCE_FONT), font_options)
        subsetter = subset.Subsetter(font_options)
        subsetter.populate(unicodes=[available[name] for name in used])
        subsetter.subset(font)
        subset.save_font(font, str(SUBSET_FONT), font_options)
        SUBSET_CSS.write_text(subset_css(used, available), encoding="utf-8")
        self.stdout.write(
            f"{len(used)} icons: {SUBSET_FONT.stat().st_size:,} bytes of font "
            f"(from {SOURCE_FONT.stat().st_size:,}), {SUBSET_CSS.stat().st_size:,} of CSS"
        )

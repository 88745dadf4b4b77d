"""The pages load a subset of Bootstrap Icons: every icon the code names must be in it."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont

from portal.management.commands import subset_icons
from portal.views import MENU


def subset_names() -> set[str]:
    return set(re.findall(r"\.bi-([a-z0-9-]+)::before", subset_icons.SUBSET_CSS.read_text()))


def test_every_icon_the_templates_scripts_and_code_use_is_in_the_subset() -> None:
    missing = sorted(subset_icons.icons_used() - subset_names())
    assert not missing, f"icons missing from the subset, run `make icons`: {missing}"


def test_the_scan_finds_written_dynamic_and_python_icons(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        '<i class="bi bi-alarm-fill"></i><i class="bi bi-{{ item.icon }}"></i>'
    )
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "menu.py").write_text(
        "from dataclasses import dataclass\n"
        "@dataclass\nclass Item:\n    label: str\n    icon: str\n"
        "ITEMS = [Item('A', 'bell'), Item(label='B', icon='gear'), Item('C', 'x')]\n"
        "OTHER = print('calendar')\n"
    )
    assert subset_icons.icons_used(tmp_path) == {"alarm-fill", "bell", "gear", "x"}


def test_the_menu_icons_are_found_in_the_python_code() -> None:
    assert {item.icon for item in MENU} <= subset_icons.icons_used()


def test_the_subset_font_holds_a_glyph_for_every_rule_and_is_small() -> None:
    available = subset_icons.glyphs()
    font = TTFont(subset_icons.SUBSET_FONT)
    mapped = set(font.getBestCmap())
    assert {available[name] for name in subset_names()} <= mapped
    assert subset_icons.SUBSET_FONT.stat().st_size < 20_000


def test_the_pages_load_the_subset_not_the_whole_font() -> None:
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert "bootstrap-icons-1.13.2/subset/bootstrap-icons.css" in base
    assert "bootstrap-icons.min.css" not in base

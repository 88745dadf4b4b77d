"""Every page, report, message and e-mail follows the glossary (docs/glossary.md): a phrase it
marks "Không dùng" appears in no template, no Python string of the portal, no demo or reference
data; a word it marks "not" for English appears in no English translation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
APPS = ("portal", "facilities", "assessments", "programs", "reporting", "public", "demo")
QUOTED = re.compile(r"`([^`]+)`")
# A comment line so, first in a bracketed list, marks the list as quoting other people's
# wording (the header variants an importer recognises): its lines are not checked.
THEIR_WORDS = "# their words"


@dataclass(frozen=True)
class Rule:
    use: str
    avoid: tuple[str, ...]
    exceptions: tuple[str, ...]
    english_avoid: tuple[str, ...]
    english_exceptions: tuple[str, ...]
    emails_only: bool


def rules() -> list[Rule]:
    table = [
        line for line in GLOSSARY.read_text(encoding="utf-8").splitlines() if line.startswith("|")
    ][2:]  # the header and its rule
    found = []
    for line in table:
        use, _meaning, where, avoid, exceptions, english = (
            cell.strip() for cell in line.strip("|").split("|")
        )
        found.append(
            Rule(
                use=use,
                avoid=tuple(QUOTED.findall(avoid)),
                exceptions=tuple(QUOTED.findall(exceptions)),
                english_avoid=tuple(
                    QUOTED.findall(english.partition("not")[2].partition("except")[0])
                ),
                english_exceptions=tuple(QUOTED.findall(english.partition("except")[2])),
                emails_only=where == "e-mails",
            )
        )
    return found


def sources() -> list[Path]:
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt")]
    for app in APPS:
        files += [
            path
            for path in (ROOT / app).rglob("*")
            if path.suffix in (".py", ".json", ".csv", ".txt")
            and "migrations" not in path.parts
            and path.is_file()
        ]
    return sorted(files)


def checked_lines(text: str) -> list[tuple[int, str]]:
    """The numbered lines of `text`, without the bracketed lists marked THEIR_WORDS."""
    checked, closing = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip())
        if closing is not None:
            if line.strip().startswith((")", "]")) and indent <= closing:
                closing = None
            continue
        if line.strip() == THEIR_WORDS:
            closing = indent - 4
            continue
        checked.append((number, line))
    return checked


def found_in(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


def without(text: str, exceptions: list[str]) -> str:
    for phrase in exceptions:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    return text


def test_the_glossary_has_rules_to_check() -> None:
    loaded = rules()
    assert len(loaded) >= 20
    assert any("hãy" in rule.avoid for rule in loaded)
    assert any("enterprise" in rule.english_avoid for rule in loaded)


def test_no_page_report_or_message_uses_a_term_the_glossary_rules_out() -> None:
    loaded = rules()
    exceptions = [phrase for rule in loaded for phrase in rule.exceptions]
    problems = []
    for path in sources():
        text = without(path.read_text(encoding="utf-8"), exceptions)
        is_email = "emails" in path.parts or "email" in path.name
        for rule in loaded:
            if rule.emails_only and not is_email:
                continue
            for phrase in rule.avoid:
                for number, line in checked_lines(text):
                    if found_in(line, phrase):
                        where = path.relative_to(ROOT)
                        problems.append(f"{where}:{number}: “{phrase}” → “{rule.use}”")
    assert not problems, "\n".join(problems)


def translations() -> list[str]:
    """Every English translation in the catalogue, its continuation lines joined."""
    catalogue = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    found, current = [], None
    for line in catalogue.splitlines():
        if line.startswith("msgstr"):
            current = [line.partition(" ")[2].strip('"')]
            found.append(current)
        elif line.startswith('"') and current is not None:
            current.append(line.strip('"'))
        else:
            current = None
    return ["".join(parts) for parts in found]


def test_the_english_catalogue_follows_the_glossary() -> None:
    loaded = rules()
    exceptions = [phrase for rule in loaded for phrase in rule.english_exceptions]
    problems = [
        f"“{phrase}” in “{text}”"
        for rule in loaded
        for phrase in rule.english_avoid
        for text in translations()
        if found_in(without(text, exceptions), phrase)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("Vui lòng chọn kỳ.", "hãy", False),
        ("Hãy chọn kỳ.", "hãy", True),
        ("hoàn thành", "hoà", False),
        ("Cộng hoà", "hoà", True),
        ("nguyên vật liệu", "nguyên liệu", False),
    ],
)
def test_a_phrase_is_found_as_a_whole_word_only(text, phrase, expected) -> None:
    assert found_in(text, phrase) is expected

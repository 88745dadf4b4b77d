"""Vietnamese text as a database needs it: a search form without accents and a sort key.

SQLite has no Vietnamese collation and PostgreSQL clusters often sort with "C". Rather than two
code paths, facilities store both keys in plain columns that compare the same everywhere.
"""

from __future__ import annotations

import unicodedata

# Letters in Vietnamese dictionary order; f, j, w, z (loan words) take their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# A letter's "shape" marks make it another letter (ă â ê ô ơ ư); tone marks do not.
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}
# Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_WORD_BREAK = "01"
_END = "00"


def _primary_code(letter: str) -> str:
    if letter.isdigit():
        return f"{2 + int(letter):02d}"  # digits 02-11, before letters
    if letter in _ALPHABET:
        return f"{20 + _ALPHABET.index(letter):02d}"  # letters 20-52
    if letter.isspace():
        return _WORD_BREAK
    return ""  # punctuation does not count when ordering names


def sort_key(text: str) -> str:
    """A key whose plain string order is Vietnamese alphabetical order.

    Letters compare first (a < ă < â < b … đ after d), then tones letter by letter, as a
    dictionary orders "Bà" < "Bả" < "Bá". The key holds only digits, so any collation compares it
    the same way.
    """
    primary: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", text.strip().lower()):
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        shape = "".join(mark for mark in marks if mark in _SHAPE_MARKS)
        letter = unicodedata.normalize("NFC", base + shape)
        code = _primary_code(letter)
        if not code:
            continue
        primary.append(code)
        tones.append(next((_TONES[mark] for mark in marks if mark in _TONES), "0"))
    return "".join(primary) + _END + "".join(tones)


def fold(text: str) -> str:
    """Lower case without accents: "Nghệ An" → "nghe an", "Đô Lương" → "do luong"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())

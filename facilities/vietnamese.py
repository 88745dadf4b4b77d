"""Vietnamese text as a database needs it: a search form without accents and a sort key.

SQLite has no Vietnamese collation and PostgreSQL clusters often sort with "C". Rather than two
code paths, facilities store both keys in plain columns that compare the same everywhere.
"""

from __future__ import annotations

import re
import unicodedata

# Letters in Vietnamese dictionary order; f, j, w, z (loan words) take their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# A letter's "shape" marks make it another letter (ă â ê ô ơ ư); tone marks do not.
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}
# Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "01", "\u0309": "02", "\u0303": "03", "\u0301": "04", "\u0323": "05"}
_END_OF_LETTERS = "01"
_DIGITS = "0123456789"
# Old encodings turn "Đ" into the look-alike Eth letter.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})
_NUMBER = re.compile(r"\d+")


def _normalise(text: str) -> str:
    # NFKC turns "²" into "2" and "②" into "2", so only plain digits reach the key.
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKES).lower()


def _word_key(word: str) -> str:
    letters: list[str] = []
    tones: list[str] = []
    for char in word:
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        letter = unicodedata.normalize(
            "NFC", base + "".join(mark for mark in marks if mark in _SHAPE_MARKS)
        )
        if letter in _DIGITS:
            code = f"{2 + _DIGITS.index(letter):02d}"  # digits 02-11, before letters
        elif letter in _ALPHABET:
            code = f"{20 + _ALPHABET.index(letter):02d}"  # letters 20-52
        else:
            continue  # punctuation does not count when ordering names
        letters.append(code)
        tones.append(next((_TONES[mark] for mark in marks if mark in _TONES), "00"))
    return "".join(letters) + _END_OF_LETTERS + "".join(tones)


def sort_key(text: str) -> str:
    """A key whose plain string order is Vietnamese dictionary order.

    Word by word: the letters first (a < ă < â < b … d < đ), then that word's tones letter by
    letter ("Ba Hoa" < "Bà Con", "bà" < "bả" < "bá"); numbers compare by value ("Xưởng 2" <
    "Xưởng 10"). The key holds only digits, so every collation compares it the same way.
    """
    padded = _NUMBER.sub(lambda match: match.group().zfill(12), _normalise(text))
    keys = (_word_key(word) for word in padded.split())
    # Punctuation-only words leave no trace; the column holds the first 800 characters.
    return "".join(key for key in keys if key != _END_OF_LETTERS)[:800]


def fold(text: str) -> str:
    """Lower case without accents: "Nghệ An" → "nghe an", "Đô Lương" → "do luong"."""
    decomposed = unicodedata.normalize("NFD", _normalise(text).replace("đ", "d"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from facilities.models import normalise_tax_code
from facilities.vietnamese import fold, sort_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0100233488", "0100233488"),
        ("0100233488-001", "0100233488-001"),
        ("0100233488001", "0100233488-001"),
        (" 0100 233 488 ", "0100233488"),
        ("0312687878-001", "0312687878-001"),
    ],
)
def test_valid_tax_codes_are_stored_in_their_written_form(typed: str, stored: str) -> None:
    assert normalise_tax_code(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0100233489", "sai chữ số kiểm tra"),
        ("2900326335", "sai chữ số kiểm tra"),
        ("12345", "cần 10 chữ số"),
        ("01002334880", "cần 10 chữ số"),
        ("0100233488-000", "không được toàn số 0"),
        ("01002334AB", "cần 10 chữ số"),
        ("", "cần 10 chữ số"),
    ],
)
def test_invalid_tax_codes_are_refused_with_a_vietnamese_reason(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_tax_code(typed)
    assert message in error.value.messages[0]


def test_fold_removes_accents_and_d_stroke() -> None:
    assert fold("Công ty CP Đô Lương  NGHỆ AN") == "cong ty cp do luong nghe an"


def test_sort_key_orders_like_a_vietnamese_dictionary() -> None:
    words = ["đa", "dê", "ân", "ăn", "an", "ba", "bà", "bả", "bã", "bá", "bạ", "anh", "a b"]
    expected = ["a b", "an", "anh", "ăn", "ân", "ba", "bà", "bả", "bã", "bá", "bạ", "dê", "đa"]
    assert sorted(words, key=sort_key) == expected


def test_sort_key_holds_only_digits_so_every_collation_agrees() -> None:
    assert sort_key("Công ty Ấn Độ - Việt (2019)").isdigit()


def test_sort_key_settles_each_word_with_its_tone_before_the_next_word() -> None:
    names = ["Bà Con", "Ba Hoa", "Xưởng 10", "Xưởng 2", "Bá Ân"]
    assert sorted(names, key=sort_key) == ["Ba Hoa", "Bà Con", "Bá Ân", "Xưởng 2", "Xưởng 10"]


def test_sort_key_and_fold_survive_odd_characters() -> None:
    assert sort_key("Ðông") == sort_key("Đông")
    assert fold("Ðông Hà") == "dong ha"
    assert sort_key("Xưởng ②") == sort_key("Xưởng 2")
    assert sort_key("Gạch 100m²").isdigit()
    assert sort_key("A  -  B") == sort_key("A B")

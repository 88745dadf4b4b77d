from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse


def test_the_portal_speaks_vietnamese_even_to_an_english_browser(client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert response["Content-Language"] == "vi"


def test_the_language_switch_turns_the_interface_english_and_back(client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body
    assert "Sign in" in body
    assert "Đăng nhập" not in body
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


def test_signed_in_pages_are_english_after_switching(users, client_for) -> None:
    client = client_for(users["department_staff"])
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse("dashboard")).content.decode()
    assert "Overview" in body
    assert "Tổng quan" not in body


def test_the_english_catalogue_translates_every_message() -> None:
    po = Path(settings.BASE_DIR, "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first entry is the header
    assert entries, "the English catalogue is empty"
    untranslated = [e for e in entries if 'msgstr ""' in e and 'msgstr ""\n"' not in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == []
    assert fuzzy == []
    with Path(settings.BASE_DIR, "locale/en/LC_MESSAGES/django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # the compiled catalogue holds every entry of the .po (plurals count once per form)
    singular = sum(1 for e in entries if "msgid_plural" not in e)
    plural_forms = sum(2 for e in entries if "msgid_plural" in e)
    assert len(compiled._catalog) - 1 == singular + plural_forms, "run `make messages`"


def test_dates_and_numbers_read_the_vietnamese_way() -> None:
    import datetime

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(datetime.date(2019, 9, 30), "SHORT_DATE_FORMAT") == "30/09/2019"
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) == (
            "1.234.567,5"
        )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_field_reads_back_what_it_shows_in_either_language(language) -> None:
    """Every date field asks for dd/mm/yyyy; English must not read 05/03/2020 as 3 May, or a
    record opened and saved in English would silently change its dates."""
    import datetime

    from django import forms
    from django.utils import formats, translation

    from facilities.forms import DateInput

    day = datetime.date(2020, 3, 5)
    with translation.override(language):
        field = forms.DateField(widget=DateInput())
        shown = field.widget.format_value(day)
        assert shown == "05/03/2020"
        assert field.clean(shown) == day
        assert field.clean("25/12/2020") == datetime.date(2020, 12, 25)
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/03/2020"


def test_quantities_show_no_trailing_zeros_that_would_read_as_thousands() -> None:
    from decimal import Decimal

    from django.utils import translation

    from portal.templatetags.figures import quantity

    with translation.override("vi"):
        assert quantity(Decimal("8.130")) == "8,13"
        assert quantity(Decimal("665334.000")) == "665.334"
        assert quantity(Decimal("1000.000")) == "1.000"
        assert quantity(None) == "–"
    with translation.override("en"):
        assert quantity(Decimal("104.400")) == "104.4"


def test_django_s_own_form_messages_read_as_plain_vietnamese() -> None:
    from decimal import Decimal

    from django import forms
    from django.core.exceptions import ValidationError
    from django.utils import translation

    def message(field: forms.Field, value: str) -> str:
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        return refused.value.messages[0]

    with translation.override("vi"):
        assert message(forms.IntegerField(), "abc") == "Nhập một số nguyên."
        assert message(forms.IntegerField(max_value=2100), "3000") == (
            "Giá trị không được lớn hơn 2100."
        )
        assert message(forms.DecimalField(max_digits=4, decimal_places=0), "123456") == (
            "Số này chỉ được có tối đa 4 chữ số."
        )
        assert message(
            forms.DecimalField(max_digits=9, decimal_places=2), str(Decimal("1.234"))
        ) == ("Số này chỉ được có tối đa 2 chữ số sau dấu phẩy.")


@pytest.mark.skipif(not shutil.which("msgcmp"), reason="needs GNU gettext (msgcmp)")
def test_the_english_catalogue_holds_every_text_of_the_code(tmp_path) -> None:
    """A text added to code or templates without `make messages` fails here."""
    base = Path(settings.BASE_DIR)
    # The project's own apps (makemessages loads the settings, so each must be importable).
    apps = [name for name in settings.INSTALLED_APPS if (base / name / "apps.py").exists()]
    for folder in (*apps, "templates"):
        shutil.copytree(base / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(base / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    fresh = tmp_path / "locale/en/LC_MESSAGES/django.po"
    ours = base / "locale/en/LC_MESSAGES/django.po"
    result = subprocess.run(["msgcmp", str(ours), str(fresh)], capture_output=True, text=True)
    assert result.returncode == 0, "run `make messages` and translate:\n" + result.stderr[-3000:]

"""Reference data reads in English on English pages: VSIC sectors (ISIC names) and size classes."""

from __future__ import annotations


def test_sectors_and_size_classes_read_in_english_on_english_pages(db) -> None:
    from django.utils import translation

    from facilities.models import Sector, SizeClass

    sector = Sector.objects.get(code="239")
    small = SizeClass.objects.get(code="small")
    with translation.override("en"):
        assert sector.label.startswith("Manufacture of") and str(small) == "Small"
    with translation.override("vi"):
        assert sector.label.startswith("Sản xuất") and str(small) == "Nhỏ"

from __future__ import annotations

import datetime

from django.urls import reverse

from facilities.models import OutreachActivity, OutreachParticipation

FORM = {
    "kind": "workshop",
    "title": "Hội thảo phổ biến SXSH tại Diễn Châu",
    "held_on": "12/05/2019",
    "organiser": "Sở Công Thương Nghệ An",
    "area": "",
    "channel": "",
    "estimated_reach": "",
    "description": "",
}


def test_staff_record_a_workshop_with_its_participants(users, facilities, client_for) -> None:
    own, other = facilities["own"], facilities["other"]
    client = client_for(users["department_staff"])
    codes = f"{own.tax_code}\n {other.tax_code.replace('-', '')} ,"
    response = client.post(reverse("facilities:outreach_create"), FORM | {"participants": codes})
    activity = OutreachActivity.objects.get()
    assert response["Location"] == reverse("facilities:outreach_detail", args=[activity.pk])
    assert activity.held_on == datetime.date(2019, 5, 12)
    assert set(activity.facilities.all()) == {own, other}
    response = client.post(
        reverse("facilities:outreach_edit", args=[activity.pk]),
        FORM | {"participants": own.tax_code},
    )
    assert list(activity.facilities.all()) == [own]


def test_unknown_and_invalid_codes_are_named_and_nothing_is_written(
    users, facilities, client_for
) -> None:
    client = client_for(users["department_staff"])
    typed = f"{facilities['own'].tax_code}\n0100233488\n12345"
    response = client.post(reverse("facilities:outreach_create"), FORM | {"participants": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa có trong danh sách cơ sở: 0100233488" in body
    assert "Mã số thuế không hợp lệ: 12345" in body
    assert "Hội thảo phổ biến SXSH tại Diễn Châu" in body
    assert not OutreachActivity.objects.exists()
    assert not OutreachParticipation.objects.exists()


def test_a_media_campaign_takes_no_facilities(users, facilities, client_for) -> None:
    client = client_for(users["department_staff"])
    data = FORM | {"kind": "media", "participants": facilities["own"].tax_code}
    response = client.post(reverse("facilities:outreach_create"), data)
    assert response.status_code == 200
    assert not OutreachActivity.objects.exists()
    data |= {"participants": "", "channel": "Báo Nghệ An", "estimated_reach": "120000"}
    assert client.post(reverse("facilities:outreach_create"), data).status_code == 302


def test_a_district_officer_sees_only_participants_in_their_district(
    users, facilities, client_for
) -> None:
    activity = OutreachActivity.objects.create(
        kind="training", title="Tập huấn", held_on=datetime.date(2018, 1, 5), organiser="Sở"
    )
    for facility in facilities.values():
        OutreachParticipation.objects.create(activity=activity, facility=facility)
    response = client_for(users["agency_officer"]).get(
        reverse("facilities:outreach_detail", args=[activity.pk])
    )
    assert [f.pk for f in response.context["page"]] == [facilities["own"].pk]
    assert response.context["hidden_count"] == 1
    assert facilities["other"].name not in response.content.decode()


def test_the_outreach_list_filters_by_year_and_kind(users, client_for, db) -> None:
    for year, kind in [(2016, "workshop"), (2017, "workshop"), (2017, "media")]:
        OutreachActivity.objects.create(
            kind=kind, title=f"{kind} {year}", held_on=datetime.date(year, 6, 1), organiser="Sở"
        )
    client = client_for(users["official"])
    page = client.get(reverse("facilities:outreach_list"), {"year": 2017, "kind": "workshop"})
    assert [a.title for a in page.context["page"]] == ["workshop 2017"]


def test_the_outreach_list_counts_each_activitys_participants(
    users, facilities, client_for, django_assert_max_num_queries
) -> None:
    held = datetime.date(2018, 1, 5)
    busy = OutreachActivity.objects.create(
        kind="training", title="Tập huấn", held_on=held, organiser="Sở"
    )
    OutreachActivity.objects.create(kind="media", title="Phóng sự", held_on=held, organiser="Sở")
    for facility in facilities.values():
        OutreachParticipation.objects.create(activity=busy, facility=facility)
    client = client_for(users["official"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("facilities:outreach_list"))
    counts = {a.title: a.participant_count for a in page.context["page"]}
    assert counts == {"Tập huấn": 2, "Phóng sự": 0}

"""The portal's first draft of the parts of a report that staff write (`snapshot.SECTIONS`).

Staff edit these before issuing; a draft only says what the figures say, with the numbers:
the targets met and not met, the agencies' tasks past due, the facilities' reporting for the
period. It never guesses a cause or a policy the figures do not show: where it has nothing to
say, it says so in a sentence staff replace. Knows nothing of the ORM.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from portal.lib.numbers import band_text, percent_text
from reporting.document import cell
from reporting.snapshot import INT, RATIO, Snapshot, SummaryRow

GOOD = ("met", "on_track")
SHORT = ("behind", "not_met")


def draft(snapshot: Snapshot) -> dict[str, str]:
    return {
        "direction": direction(snapshot),
        "achievements": achievements(snapshot),
        "shortcomings": shortcomings(snapshot),
        "causes": causes(snapshot),
        "next_steps": next_steps(snapshot),
        "proposals": proposals(snapshot),
    }


def direction(snapshot: Snapshot) -> str:
    counts = snapshot.activity_counts
    lines = [
        _(
            "%(issuer)s chủ trì, phối hợp với các sở, ban, ngành và địa phương triển khai kế "
            "hoạch; cập nhật số liệu của các cơ sở trên Cổng SXSH Nghệ An."
        )
        % {"issuer": snapshot.issuer_name},
    ]
    done = [
        template % {"count": counts[key]}
        for key, template in (
            ("outreach", _("%(count)s hoạt động tuyên truyền, phổ biến về sản xuất sạch hơn")),
            ("assessments", _("%(count)s cuộc đánh giá sản xuất sạch hơn tại cơ sở")),
            ("projects", _("%(count)s dự án hỗ trợ")),
            ("training", _("%(count)s khóa đào tạo, tập huấn")),
        )
        if counts.get(key)
    ]
    if done:
        lines.append(_("Trong kỳ đã thực hiện: %(done)s.") % {"done": "; ".join(done)})
    else:
        lines.append(
            _("Trong kỳ không có hoạt động tuyên truyền, đánh giá, hỗ trợ hay đào tạo mới.")
        )
    tasks = counts.get("tasks", 0)
    if tasks:
        lines.append(
            _(
                "Các cơ quan phối hợp được giao %(tasks)s nhiệm vụ; %(late)s nhiệm vụ đến hạn chưa "
                "hoàn thành."
            )
            % {"tasks": tasks, "late": len(snapshot.late_tasks)}
        )
    return "\n".join(lines)


def achievements(snapshot: Snapshot) -> str:
    lines = [f"- {figure_line(row)}" for row in snapshot.summary if row.status in GOOD]
    if snapshot.reporting and snapshot.reporting[1] == snapshot.reporting[0]:
        lines.append(f"- {reporting_line(snapshot)}")
    return "\n".join(lines) or _("Đến ngày số liệu, không chỉ tiêu nào đạt hoặc đúng tiến độ.")


def shortcomings(snapshot: Snapshot) -> str:
    lines = [f"- {figure_line(row)}" for row in snapshot.summary if row.status in SHORT]
    missing = [row.code for row in snapshot.summary if row.status == "no_data"]
    if missing:
        lines.append(
            "- " + _("Chưa tính được %(codes)s vì chưa có số liệu.") % {"codes": ", ".join(missing)}
        )
    if snapshot.late_tasks:
        tasks = "; ".join(
            _("%(agency)s: %(title)s (hạn %(due)s, tiến độ %(progress)s%%)")
            % {
                "agency": task.agency,
                "title": task.title,
                "due": task.due_on.strftime("%d/%m/%Y"),
                "progress": task.progress,
            }
            for task in snapshot.late_tasks
        )
        lines.append(
            "- "
            + _("%(count)s nhiệm vụ của cơ quan phối hợp quá hạn chưa hoàn thành: %(tasks)s.")
            % {"count": len(snapshot.late_tasks), "tasks": tasks}
        )
    if snapshot.reporting and snapshot.reporting[1] < snapshot.reporting[0]:
        lines.append(f"- {reporting_line(snapshot)}")
    return "\n".join(lines) or _("Không có chỉ tiêu chậm tiến độ hay nhiệm vụ quá hạn trong kỳ.")


def causes(snapshot: Snapshot) -> str:
    lines = []
    if snapshot.reporting and snapshot.reporting[1] < snapshot.reporting[0]:
        expected, received, _on_time = snapshot.reporting
        lines.append(
            "- "
            + _(
                "%(missing)s cơ sở chưa nộp báo cáo định kỳ của kỳ, nên số liệu tiết kiệm và áp "
                "dụng sản xuất sạch hơn chưa đầy đủ."
            )
            % {"missing": cell(expected - received, INT)}
        )
    if snapshot.late_tasks:
        lines.append(
            "- "
            + _("Một số cơ quan phối hợp chưa hoàn thành hoặc chưa cập nhật nhiệm vụ đúng hạn.")
        )
    lines.append(
        _("(Cán bộ bổ sung nguyên nhân chủ quan, khách quan của các tồn tại, hạn chế nêu trên.)")
    )
    return "\n".join(lines)


def next_steps(snapshot: Snapshot) -> str:
    lines = [f"- {next_step(row)}" for row in snapshot.summary if row.status in SHORT]
    if snapshot.late_tasks:
        lines.append(
            "- "
            + _("Đôn đốc các cơ quan phối hợp hoàn thành %(count)s nhiệm vụ quá hạn.")
            % {"count": len(snapshot.late_tasks)}
        )
    if snapshot.reporting and snapshot.reporting[1] < snapshot.reporting[0]:
        lines.append(
            "- "
            + _("Đôn đốc %(missing)s cơ sở chưa nộp báo cáo định kỳ.")
            % {"missing": cell(snapshot.reporting[0] - snapshot.reporting[1], INT)}
        )
    lines.append(
        "- "
        + _(
            "Tiếp tục tuyên truyền, hỗ trợ đánh giá và áp dụng sản xuất sạch hơn tại các cơ sở "
            "sản xuất công nghiệp trên địa bàn tỉnh."
        )
    )
    return "\n".join(lines)


def next_step(row: SummaryRow) -> str:
    words = {
        "code": row.code,
        "name": row.name,
        "band": band_text(row.floor, row.stretch, ratio=row.kind == RATIO),
        "year": row.milestone_year or "",
    }
    if row.status == "behind":
        return (
            _(
                "Tập trung thực hiện chỉ tiêu %(code)s (%(name)s), phấn đấu đạt %(band)s vào năm "
                "%(year)s."
            )
            % words
        )
    # Not met: the target's year is over; the work goes on in the next plan.
    return (
        _(
            "Tiếp tục thực hiện nội dung của chỉ tiêu %(code)s (%(name)s), chưa đạt mục tiêu "
            "%(band)s, trong kế hoạch giai đoạn tiếp theo."
        )
        % words
    )


def proposals(snapshot: Snapshot) -> str:
    """Addressed to the report's recipients: what the Department asks of them."""
    funded = [row for row in snapshot.summary if row.code in ("A1", "A2") and row.status in SHORT]
    if funded:
        return _(
            "Đề nghị %(recipients)s xem xét, bố trí kinh phí hỗ trợ các dự án, mô hình sản xuất "
            "sạch hơn (%(codes)s chưa đạt mục tiêu năm)."
        ) % {
            "recipients": snapshot.recipients_text,
            "codes": ", ".join(row.code for row in funded),
        }
    return _(
        "Đề nghị %(recipients)s tiếp tục quan tâm, hỗ trợ kinh phí để các cơ sở đánh giá và áp "
        "dụng sản xuất sạch hơn."
    ) % {"recipients": snapshot.recipients_text}


def figure_line(row: SummaryRow) -> str:
    """One indicator as a sentence: "T2 – …: 31,2% (156/500), mục tiêu 25–50%: đúng tiến độ."."""
    if row.kind == RATIO and row.value is not None:
        value = percent_text(row.value, floor=row.floor)
        if row.denominator is not None:
            value += f" ({cell(row.numerator, INT)}/{cell(row.denominator, INT)})"
    else:
        value = cell(row.value, row.kind)
    return _("%(code)s – %(name)s: %(value)s, mục tiêu %(band)s: %(status)s.") % {
        "code": row.code,
        "name": row.name,
        "value": value,
        "band": band_text(row.floor, row.stretch, ratio=row.kind == RATIO),
        "status": row.status_label.lower(),
    }


def reporting_line(snapshot: Snapshot) -> str:
    expected, received, on_time = snapshot.reporting or (0, 0, 0)
    return _(
        "%(received)s/%(expected)s cơ sở đã nộp báo cáo định kỳ của kỳ (%(share)s), trong đó "
        "%(on_time)s cơ sở nộp đúng hạn."
    ) % {
        "received": cell(received, INT),
        "expected": cell(expected, INT),
        "share": percent_text(Decimal(received) / expected if expected else None),
        "on_time": cell(on_time, INT),
    }

"""Writes of the programme that touch several rows or carry a rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from facilities.models import Facility
from portal.access import DEPARTMENT, role_of
from portal.models import Role, User
from programs.models import AgencyTask, SupportProject, TaskUpdate


@transaction.atomic
def save_project(project: SupportProject, *, facilities: list[Facility]) -> SupportProject:
    project.full_clean()
    project.save()
    project.facilities.set(facilities)
    return project


def may_update_task(user: User, task: AgencyTask) -> bool:
    """The Department, or an officer of the agency the task is assigned to."""
    role = role_of(user)
    return role in DEPARTMENT or (role == Role.AGENCY_OFFICER and user.agency_id == task.agency_id)


@transaction.atomic
def post_task_update(
    task: AgencyTask,
    *,
    by: User,
    text: str,
    progress: int,
    attachment: UploadedFile | None = None,
) -> TaskUpdate:
    """Record progress on a task; the task takes the reported progress and its status follows."""
    if not may_update_task(by, task):
        raise ValidationError(_("Chỉ cán bộ của cơ quan được giao mới cập nhật nhiệm vụ này."))
    update = TaskUpdate(task=task, posted_by=by, text=text, progress=progress)
    if attachment:
        update.attachment = attachment
    update.full_clean()
    update.save()
    task.progress = progress
    task.status = (
        AgencyTask.Status.DONE
        if progress >= 100
        else AgencyTask.Status.IN_PROGRESS
        if progress > 0
        else AgencyTask.Status.NOT_STARTED
    )
    task.save(update_fields=["progress", "status"])
    return update

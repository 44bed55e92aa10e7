"""Follow-up of a decided dossier (art. 30, 32, 76–77): escalation to the 区委 or the 区人大,
implementation tracking and the post-decision evaluation, as workflow approvals (obj_type
"decisions.followup") so the engine's reminders, overdue escalation and `zhengwu tick` apply."""

from __future__ import annotations

OBJ_FOLLOWUP = "decisions.followup"

"""“三重一大” dossiers (MajorDecision, art. 13, 28–32, 76–77).

- models.py: the dossier, its procedure records (art. 28), affected units and consultations
  (art. 30), escalations to the 区委 / 区人大 (art. 76–77).
- selectors.py: dossier_facts, readiness, missing_steps (for the agenda builder), followup_tasks,
  decisions_export (addressable decisions for the supervision ledger).
- services.py: the only writers (assemble, place on agenda, decide, escalate, follow up); the
  meetings app calls dossier_place_on_agenda and dossier_decide.
- followups.py: escalation, implementation and evaluation as workflow routes
  (decisions.escalate_party_committee / escalate_people_congress / implementation / evaluation),
  reminded by `zhengwu tick`; a hook records their completion on the dossier.
- access.py: the proposing (or implementing) unit sees its dossiers, the office and the government
  leaders all, others nothing.
- Rules: zhengwu.rulebook.rules.decisions (topics decisions.dossier, decisions.decision,
  decisions.escalation); parameters decisions.* in the rulebook.
"""

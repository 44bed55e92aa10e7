"""The audit trail (留痕): append-only, hash-chained events.

Write:  `services.audit_append(actor=, action=, obj_type=, obj_id=, before=, after=, article=, summary=)`
        inside the caller's `transaction.atomic()`; `services.snapshot(instance, fields)` for before/after.
Actions: `catalogue.register_actions({...})` in each AppConfig.ready(); `catalogue.label(code)`.
Read:   `selectors.history_for(obj_type, obj_id)`, `history_for_object(instance)`, `by_actor(id)`,
        `recent(limit)`, `verify_chain()`; CLI `zhengwu audit verify`.
"""

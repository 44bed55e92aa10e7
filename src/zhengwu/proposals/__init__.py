"""NPC suggestions and CPPCC proposals (建议提案, art. 39): batches per session, assignment to a lead
unit and co-units, contact before the answer, the signed answer with its outcome category, the
proposer's satisfaction and a second answer, publication of the results, overdue escalation."""

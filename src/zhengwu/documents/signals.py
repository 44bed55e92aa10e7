"""Signals other apps listen to. Sent inside the service's transaction, so a listener's writes
(and its audit events) commit or roll back with the change that caused them."""

from django.dispatch import Signal

# document_issue: sent with actor=Person, document=Document, on=date once a document is 印发.
document_issued = Signal()

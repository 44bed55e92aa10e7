"""Signals other apps listen to. Sent inside the service's (or the engine's) transaction, so a
listener's writes (and its audit events) commit or roll back with the change that caused them."""

from django.dispatch import Signal

# minutes_signed: sent with actor=Person, minutes=Minutes, on=date once a meeting's minutes are 签发
# (its decisions signed off, art. 35: the disclosure queue takes the decisions to publish).
minutes_signed = Signal()

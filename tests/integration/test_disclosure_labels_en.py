"""Disclosure, petition and request statuses in the reader's language (issue 16): a choice's label
shows in English on an English page and in Chinese on a Chinese one, while the sentences the system
stores (trail summaries, refusals) keep the Chinese wording whatever the language of the request."""

from django.utils import translation

from zhengwu.disclosure.models import Challenge, Record, as_stored
from zhengwu.disclosure.petitions.models import Petition
from zhengwu.disclosure.requests.models import InfoRequest


def test_labels_follow_the_language():
    with translation.override("en"):
        assert str(Petition.Status.HANDLING.label) == "Being handled"
        assert str(InfoRequest.Status.ABANDONED.label) == "Deemed withdrawn"
        assert str(Record.Status.QUEUED.label) == "Awaiting confidentiality review"
    with translation.override("zh-hans"):
        assert str(Petition.Status.HANDLING.label) == "办理中"
        assert str(InfoRequest.Status.ABANDONED.label) == "视为放弃申请"
        assert str(Record.Status.QUEUED.label) == "待保密审查"


def test_stored_sentences_keep_the_chinese_wording():
    c = Challenge(kind=Challenge.Kind.LAWSUIT, status=Challenge.Result.UPHELD)
    with translation.override("en"):
        assert c.get_kind_display() == "Administrative lawsuit"
        assert as_stored(c.get_kind_display) == "行政诉讼"
        assert as_stored(Challenge.Result.UPHELD.label) == "结果维持"

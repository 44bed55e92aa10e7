"""The soak's invariants (bench/soak_checks.py, used by `make soak`): each holds on good data and names
the breach on bad data."""

from bench import soak_checks as c


def num(series, year, n, field="doc_number"):
    return {"field": field, "series": series, "year": year, "n": n, "value": f"{series}〔{year}〕{n}号"}


# ---- gapless numbers -------------------------------------------------------------------------------

def test_numbers_one_to_max_per_series_and_year_pass():
    rows = [num("白洮政办发", 2026, n) for n in (3, 1, 2)] + [num("白洮政发", 2026, 1), num("白洮政办发", 2027, 1),
                                                               num("白洮政收", 2026, 1, "intake_number")]
    counters = [{"series": "白洮政办发", "year": 2026, "last": 3}, {"series": "白洮政发", "year": 2026, "last": 1}]
    assert c.number_gaps(rows, counters) == []


def test_a_gap_is_named_with_the_missing_number():
    problems = c.number_gaps([num("白洮政办发", 2026, n) for n in (1, 2, 4)])
    assert problems == ["白洮政办发〔2026〕: gaps (numbers never given): [3]"]


def test_a_number_given_twice_is_named():
    problems = c.number_gaps([num("白洮政办发", 2026, n) for n in (1, 2, 2)])
    assert problems == ["白洮政办发〔2026〕: numbers given twice: [2]"]


def test_a_counter_ahead_of_the_numbers_given_is_a_lost_number():
    problems = c.number_gaps([num("白洮政发", 2026, 1)], [{"series": "白洮政发", "year": 2026, "last": 2}])
    assert problems == ["白洮政发〔2026〕: the counter stands at 2 but the highest number given is 1"]


def test_an_unparsable_number_is_a_problem():
    assert c.number_gaps([{"value": "白洮政发2026-1", "series": None, "n": None}]) != []


# ---- doubled and lost completions -----------------------------------------------------------------

TASKS = {"1": {"status": "done", "completed_by_id": 7, "approval_id": 10},
         "2": {"status": "open", "completed_by_id": None, "approval_id": 10},
         "3": {"status": "reassigned", "completed_by_id": 8, "approval_id": 11},
         "4": {"status": "open", "completed_by_id": None, "approval_id": 11}}
PEOPLE = {"fuqu2": 7, "czj-fu": 8}


def test_one_acknowledgement_and_one_event_per_task_is_not_doubled():
    assert c.doubled_completions([{"task": 1, "user": "fuqu2"}], {"1": 1}) == []


def test_two_acknowledged_completions_of_one_task_are_doubled():
    acked = [{"task": 1, "user": "fuqu2"}, {"task": 1, "user": "fuqu2"}]
    assert c.doubled_completions(acked, {"1": 1}) == ["task 1: the server acknowledged 2 completions"]


def test_two_completion_events_of_one_task_are_doubled():
    assert c.doubled_completions([], {"1": 2}) == ["task 1: 2 completion events in the audit trail"]


def test_an_acknowledged_completion_found_done_by_that_person_is_not_lost():
    assert c.lost_completions([{"task": 1, "user": "fuqu2"}], TASKS, PEOPLE) == []


def test_an_acknowledged_completion_still_open_or_done_by_another_is_lost():
    assert len(c.lost_completions([{"task": 2, "user": "fuqu2"}], TASKS, PEOPLE)) == 1
    assert len(c.lost_completions([{"task": 1, "user": "czj-fu"}], TASKS, PEOPLE)) == 1
    assert c.lost_completions([{"task": 99, "user": "fuqu2"}], TASKS, PEOPLE) == [
        "task 99 (completed by fuqu2): not in the database"]


# ---- approvals consistent with their steps -----------------------------------------------------------

def test_running_approvals_with_open_steps_and_one_event_per_done_step_are_consistent():
    approvals = [{"id": 10, "status": "running"}, {"id": 11, "status": "running"}]
    assert c.approval_inconsistencies(approvals, TASKS, {"1": 1}) == []


def test_a_finished_approval_with_an_open_step_or_a_running_one_without_is_inconsistent():
    tasks = {"1": {"status": "done", "completed_by_id": 7, "approval_id": 10},
             "2": {"status": "open", "completed_by_id": None, "approval_id": 12}}
    approvals = [{"id": 10, "status": "running"}, {"id": 12, "status": "approved"}]
    assert c.approval_inconsistencies(approvals, tasks, {"1": 1}) == [
        "approval 10: running with no open step", "approval 12: approved with 1 open step(s)"]


def test_a_done_step_without_its_event_or_an_event_for_an_open_step_is_inconsistent():
    approvals = [{"id": 10, "status": "running"}, {"id": 11, "status": "running"}]
    assert c.approval_inconsistencies(approvals, TASKS, {}) == ["task 1: done with 0 completion events"]
    assert c.approval_inconsistencies(approvals, TASKS, {"1": 1, "2": 1}) == [
        "task 2: 1 completion event(s) but status open"]
    assert c.approval_inconsistencies(approvals, TASKS, {"1": 1, "5": 1}) == [
        "task 5: a completion event for a step that does not exist"]


# ---- POSTs whose answer was lost ----------------------------------------------------------------------

def test_lost_answers_are_read_back_as_applied_or_not():
    outgoing = {"20": {"status": "signed", "doc_number": "白洮政办发〔2026〕1号"}, "21": {"status": "signed",
                                                                                       "doc_number": ""}}
    unknown = [{"op": "complete", "id": 1, "user": "fuqu2"}, {"op": "complete", "id": 2, "user": "fuqu2"},
               {"op": "reassign", "id": 3, "user": "czj-fu"}, {"op": "number", "id": 20, "user": "wenshu"},
               {"op": "issue", "id": 21, "user": "wenshu"}, {"op": "login_code", "user": "fuqu2"}]
    counts, problems = c.reconcile(unknown, TASKS, outgoing, PEOPLE)
    assert (counts, problems) == ({"applied": 3, "not_applied": 2, "not_checked": 1}, [])


def test_a_lost_answer_about_a_row_that_is_not_there_is_unreconciled():
    counts, problems = c.reconcile([{"op": "complete", "id": 99, "user": "fuqu2"},
                                    {"op": "number", "id": 98, "user": "wenshu"}], TASKS, {}, PEOPLE)
    assert counts == {"applied": 0, "not_applied": 0, "not_checked": 0} and len(problems) == 2

"""forms/triage.yaml: its pages, and one test per class of bad tree, each
reported by `sitegen check` as PATH:LINE:COL: message with exit 1."""
from __future__ import annotations

import pytest

from conftest import BUILD_DATE, run_cli, today
from sitegen.content.site import load_site
from sitegen.forms.triage import reachable
from test_forms_loader import assert_problem, check, edit, line_of

TRIAGE = "forms/triage.yaml"


@pytest.fixture
def site(make_site):
    return make_site("forms-basic")


def test_every_node_is_a_page(site, tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    assert (out / "report" / "index.html").is_file()
    for node in ("second", "emergency", "phone"):
        assert (out / "report" / node / "index.html").is_file()
    assert not (out / "report" / "first").exists()   # the start node is /report/ itself
    start = (out / "report" / "index.html").read_text()
    assert 'href="/report/emergency/"' in start and 'href="/report/second/"' in start
    second = (out / "report" / "second" / "index.html").read_text()
    assert 'href="/forms/everything/"' in second and 'href="/forms/hosted-service/"' in second
    assert '<a href="/report/" class="govuk-back-link">Back</a>' in second   # one parent: a real back link
    assert "Call 999" in (out / "report" / "emergency" / "index.html").read_text()


def test_reachable_in_breadth_first_order(site):
    triage = load_site(site, today())[0].forms.triage
    assert reachable(triage) == ["first", "emergency", "second", "phone"]


def test_answer_leads_to_an_unknown_node(site):
    edit(site, TRIAGE, "next: second", "next: secnd")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, '- label: "No"'),
                   "answer 'No' leads nowhere: there is no node 'secnd'; did you mean 'second'?")


def test_answer_without_a_destination(site):
    edit(site, TRIAGE, "        next: second\n", "")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, '- label: "No"'),
                   "answer 'No' leads nowhere: give 'next' (a node id) or 'form' (a form id)")


def test_answer_with_two_destinations(site):
    edit(site, TRIAGE, "        next: second\n", "        next: second\n        form: everything\n")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, '- label: "No"'),
                   "answer 'No' leads to one place: give 'next' or 'form', not both")


def test_form_referenced_but_not_defined(site):
    edit(site, TRIAGE, "form: hosted-service", "form: hosted-servise")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, "- label: A hosted thing"),
                   "answer 'A hosted thing' leads to the form 'hosted-servise', which is not defined (there is no"
                   " forms/hosted-servise.yaml); did you mean 'hosted-service'?")


def test_unreachable_node(site):
    edit(site, TRIAGE, "  phone:\n", "  orphan:\n    title: Nobody gets here\n  phone:\n")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, "  orphan:"),
                   "node 'orphan' cannot be reached from the start node 'first'; lead to it from an answer, or"
                   " remove it")


def test_cycle(site):
    edit(site, TRIAGE, "      - label: Something else\n        next: phone",
         "      - label: Something else\n        next: phone\n      - label: Start over\n        next: first")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, "- label: Start over"),
                   "answer 'Start over' of node 'second' leads back to 'first', making a loop: first → second → first")


def test_first_question_must_lead_to_999(site):
    edit(site, TRIAGE, "    call: emergency\n", "")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, "  first:"),
                   "the start node 'first' must send anyone in immediate danger, or seeing a crime happen, to 999")


def test_unknown_start_node(site):
    edit(site, TRIAGE, "start: first", "start: frist")
    assert_problem(check(site), TRIAGE, 1, "start: there is no node 'frist'; did you mean 'first'?")


def test_node_that_is_neither_question_nor_outcome(site):
    edit(site, TRIAGE, "  phone:\n    title: Call 101\n", "  phone:\n    heading: Call 101\n")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, "  phone:"),
                   "a node needs 'question' (with 'answers') or 'title' (an outcome page)")


def test_question_with_one_answer(site):
    edit(site, TRIAGE, "      - label: Everything\n        form: everything\n", "")
    edit(site, TRIAGE, "      - label: A hosted thing\n        form: hosted-service\n", "")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, "answers:", after="  second:"),
                   "a question needs at least two answers")


def test_unknown_key_in_an_outcome(site):
    edit(site, TRIAGE, "    call: non_emergency", "    cal: non_emergency")
    assert_problem(check(site), TRIAGE, line_of(site, TRIAGE, "cal: non_emergency"),
                   "unknown key 'cal' in outcome node; did you mean 'call'?")


def test_site_yaml_link_to_an_unknown_triage_node(site):
    edit(site, "site.yaml", "url: /report/", "url: /report/secnd/")
    assert_problem(check(site), "site.yaml", line_of(site, "site.yaml", "/report/secnd/"),
                   "report_actions[1].url: link '/report/secnd/' points to a triage node that does not exist;"
                   " did you mean 'second'?")


def test_site_yaml_link_to_triage_without_a_tree(site):
    (site / TRIAGE).unlink()
    edit(site, "content/pages/about.md", " or [report something](/report/)", "")
    assert_problem(check(site), "site.yaml", line_of(site, "site.yaml", "url: /report/"),
                   "report_actions[1].url: link '/report/' points to the triage pages, but there is no"
                   " forms/triage.yaml")

"""forms/triage.yaml: the 'what do you want to report?' tree, and its checks.

Each node is a question whose answers lead to another node or to a form, or an
outcome page ('Call 999 now').  The checks: answers lead somewhere real, every
node can be reached from the start, there are no loops, and the first question
sends anyone in immediate danger to 999.
"""
from __future__ import annotations

from pathlib import Path

from ..content.context import LoadContext
from ..content.schema import SLUG_RE, Where
from ..content.yamlsource import LocatedDict, load_yaml_file
from ..errors import Problem, SitegenError, did_you_mean
from .model import Triage, TriageAnswer, TriageNode
from .spec import ANSWER, OUTCOME_NODE, QUESTION_NODE, TRIAGE

TRIAGE_PATH = "forms/triage.yaml"


def load_triage(ctx: LoadContext, path: Path, form_ids: set[str]) -> Triage | None:
    """Load and check the triage tree at PATH; problems go into CTX."""
    try:
        raw = load_yaml_file(path, TRIAGE_PATH)
    except SitegenError as exc:
        ctx.problems.extend(exc.problems)
        return None
    return read_triage(ctx, raw, form_ids)


def read_triage(ctx: LoadContext, raw, form_ids: set[str]) -> Triage | None:
    """The tree from RAW, forms/triage.yaml as parsed (or a translation laid over it)."""
    data = TRIAGE.check(raw, Where(TRIAGE_PATH, (1, 1), ""), ctx.problems)
    if not data or not {"start", "nodes"} <= data.keys():
        return None
    start = data["start"]
    nodes = [node for node in (_node(ctx, node_id, value, raw["nodes"].where(node_id), start)
                               for node_id, value in raw["nodes"].items()) if node]
    triage = Triage(TRIAGE_PATH, start, tuple(nodes))
    if triage.node(start) is None:
        line, col = raw.where("start")
        ctx.problems.add(TRIAGE_PATH, line, col, f"start: there is no node '{start}'"
                                                 f"{did_you_mean(start, [n.id for n in nodes])}")
        return triage
    ctx.problems.extend(check_triage(triage, form_ids))
    return triage


def _node(ctx: LoadContext, node_id: str, raw, pos, start: str) -> TriageNode | None:
    where = Where(TRIAGE_PATH, pos, f"nodes.{node_id}")
    if not SLUG_RE.match(node_id):
        where.report(ctx.problems,
                     "a node id is lowercase letters, digits and hyphens (it becomes the address)")
        return None
    if not isinstance(raw, LocatedDict) or not ({"question", "title"} & raw.keys()):
        where.report(ctx.problems, "a node needs 'question' (with 'answers') or 'title' (an outcome page)")
        return None
    if "question" in raw:
        return _question_node(ctx, node_id, raw, where)
    return _outcome_node(ctx, node_id, raw, where, "/report/" if node_id == start else f"/report/{node_id}/")


def _question_node(ctx: LoadContext, node_id: str, raw: LocatedDict, where: Where) -> TriageNode | None:
    data = QUESTION_NODE.check(raw, where, ctx.problems)
    if data is None or "question" not in data:
        return None
    answers = [a for a in (_answer(ctx, item, Where(TRIAGE_PATH, raw["answers"].where(i),
                                                    f"{where.name}.answers[{i + 1}]"))
                           for i, item in enumerate(data.get("answers", ()))) if a]
    if "answers" in data and len(data["answers"]) < 2:
        Where(TRIAGE_PATH, raw.where("answers"), where.name).report(ctx.problems,
                                                                    "a question needs at least two answers")
    return TriageNode(id=node_id, line=where.pos[0], col=where.pos[1], question=data["question"],
                      hint=data.get("hint", ""), answers=tuple(answers),
                      sensitive=data.get("sensitive", False))


def _answer(ctx: LoadContext, raw, where: Where) -> TriageAnswer | None:
    data = ANSWER.check(raw, where, ctx.problems)
    if data is None or "label" not in data:
        return None
    targets = [k for k in ("next", "form") if k in data]
    if not targets:
        where.report(ctx.problems,
                     f"answer '{data['label']}' leads nowhere: give 'next' (a node id) or 'form' (a form id)")
        return None
    if len(targets) > 1:
        where.report(ctx.problems,
                     f"answer '{data['label']}' leads to one place: give 'next' or 'form', not both")
    return TriageAnswer(label=data["label"], hint=data.get("hint", ""), next=data.get("next", ""),
                        form="" if data.get("next") else data.get("form", ""), line=where.pos[0],
                        col=where.pos[1])


def _outcome_node(ctx: LoadContext, node_id: str, raw: LocatedDict, where: Where,
                  url: str) -> TriageNode | None:
    data = OUTCOME_NODE.check(raw, where, ctx.problems)
    if data is None or "title" not in data:
        return None
    body = ""
    if data.get("body"):
        body = ctx.render_markdown(data["body"], raw.where("body")[0] + 1, TRIAGE_PATH, url).html
    link = data.get("link") or {}
    return TriageNode(id=node_id, line=where.pos[0], col=where.pos[1], title=data["title"], body_html=body,
                      call=data.get("call", ""), link_title=link.get("title", ""),
                      link_url=link.get("url", ""),
                      sensitive=data.get("sensitive", False))


def check_triage(triage: Triage, form_ids: set[str]) -> list[Problem]:
    """Every problem with the tree's shape: dead ends, unreachable nodes, loops, no way to 999."""
    return (_dead_ends(triage, form_ids) + _unreachable(triage) + _cycles(triage) + _emergency_first(triage))


def _problem(line: int, col: int, message: str) -> Problem:
    return Problem(TRIAGE_PATH, line, col, message)


def _dead_ends(triage: Triage, form_ids: set[str]) -> list[Problem]:
    node_ids = [n.id for n in triage.nodes]
    problems = []
    for node in triage.nodes:
        for answer in node.answers:
            if answer.next and answer.next not in node_ids:
                problems.append(_problem(answer.line, answer.col,
                                         f"answer '{answer.label}' leads nowhere: there is no node "
                                         f"'{answer.next}'{did_you_mean(answer.next, node_ids)}"))
            if answer.form and answer.form not in form_ids:
                problems.append(_problem(answer.line, answer.col, f"answer '{answer.label}' leads to the form"
                                         f" '{answer.form}', which is not defined"
                                         f" (there is no forms/{answer.form}.yaml)"
                                         f"{did_you_mean(answer.form, form_ids)}"))
    return problems


def reachable(triage: Triage) -> list[str]:
    """Node ids reachable from the start, in breadth-first order."""
    seen, queue = [triage.start], [triage.start]
    while queue:
        node = triage.node(queue.pop(0))
        for answer in node.answers if node else ():
            if answer.next and triage.node(answer.next) and answer.next not in seen:
                seen.append(answer.next)
                queue.append(answer.next)
    return seen


def _unreachable(triage: Triage) -> list[Problem]:
    seen = set(reachable(triage))
    return [_problem(n.line, n.col, f"node '{n.id}' cannot be reached from the start node '{triage.start}';"
                                    " lead to it from an answer, or remove it")
            for n in triage.nodes if n.id not in seen]


def _cycles(triage: Triage) -> list[Problem]:
    """A problem at each answer that leads back to a node on the current path."""
    problems: list[Problem] = []
    done: set[str] = set()

    def visit(node_id: str, path: list[str]) -> None:
        node = triage.node(node_id)
        for answer in node.answers if node else ():
            target = answer.next
            if target in path:
                loop = " → ".join(path[path.index(target):] + [target])
                problems.append(_problem(answer.line, answer.col,
                                         f"answer '{answer.label}' of node '{node_id}' "
                                         f"leads back to '{target}', making a loop: {loop}"))
            elif target and triage.node(target) and target not in done:
                visit(target, path + [target])
        done.add(node_id)

    for node in triage.nodes:
        if node.id not in done:
            visit(node.id, [node.id])
    return problems


def _emergency_first(triage: Triage) -> list[Problem]:
    start = triage.node(triage.start)
    if start is None:  # load_triage reports a missing start
        return []
    leads_to_999 = any(getattr(triage.node(a.next), "call", "") == "emergency" for a in start.answers)
    if leads_to_999:
        return []
    return [_problem(start.line, start.col, f"the start node '{start.id}' must send anyone in immediate "
                                            "danger, or seeing a crime happen, to 999: give it an "
                                            "answer whose 'next' is an outcome with 'call: emergency'")]

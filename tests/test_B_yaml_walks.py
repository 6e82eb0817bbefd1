"""The YAML loader's shortcuts give what PyYAML's own ways give: _LocatingLoader.resolve
(BaseResolver.resolve without its path lookups), flatten_mapping skipped where no key can
be a merge or value key (_may_flatten), and the shape checked a level at a time
(_shape_fine) before the depth-first walk that names a fault (_first_shape_fault)."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content import yamlloader
from sitegen.content.yamlloader import _first_shape_fault, _LocatingLoader, _shape_fine
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import SitegenError

_SCALARS = st.text(alphabet="0123456789.-+_eExoOyYnNtTfFlu~=<:! ", max_size=8)


@settings(max_examples=500, deadline=None)
@given(value=_SCALARS, kind=st.sampled_from([yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode]),
       implicit=st.tuples(st.booleans(), st.booleans()))
@example(value="", kind=yaml.ScalarNode, implicit=(True, False))
@example(value="<<", kind=yaml.ScalarNode, implicit=(True, False))
@example(value="0x1F", kind=yaml.ScalarNode, implicit=(True, False))
def test_resolve_gives_pyyaml_s_tag(value, kind, implicit):
    loader = _LocatingLoader("")
    try:
        asked = None if kind is not yaml.ScalarNode else value
        assert loader.resolve(kind, asked, implicit) == yaml.resolver.BaseResolver.resolve(loader, kind, asked,
                                                                                           implicit)
    finally:
        loader.dispose()


def _reading(text: str):
    try:
        value = parse_yaml(text, "f.yaml")
    except SitegenError as exc:
        return [str(problem) for problem in exc.problems]
    return repr(value), getattr(value, "key_pos", None), getattr(value, "value_pos", None)


_KEYS = st.sampled_from(["a", "b", "=", "<<", "b=c", "'='", "x<<", "!!str =", "%"])
_VALUES = st.sampled_from(["1", "x", "{a: 1}", "[{a: 1}, {b: 2}]", "=", "'<<'", "{=: 3}", "[1, 2]", "a=b"])


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(_KEYS, _VALUES), max_size=4), head=st.sampled_from(["", "%YAML 1.1\n---\n"]))
@example(pairs=[("=", "x"), ("a", "1")], head="")
@example(pairs=[("<<", "{a: 1}"), ("b", "2")], head="")
def test_mappings_read_the_same_without_flattening_where_nothing_is_to_flatten(pairs, head):
    text = head + "".join(f"{key}: {value}\n" for key, value in pairs)
    fast = _reading(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlloader, "_may_flatten", lambda text: True)
        assert fast == _reading(text)


# Documents of anchored flow lists, each holding scalars, lists and aliases of the earlier ones:
# expanding the aliases multiplies the values, and nesting deepens them.
_ITEMS = st.lists(st.sampled_from(["1", "*", "[*]", "[[1, *]]", "[]", "{k: *}"]), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(anchors=st.lists(_ITEMS, min_size=1, max_size=6), depth=st.integers(1, 8), nodes=st.integers(1, 60))
def test_the_shape_is_fine_exactly_when_the_walk_finds_no_fault(anchors, depth, nodes):
    lines = []
    for index, items in enumerate(anchors):
        earlier = f"*a{index - 1}" if index else "0"
        lines.append(f"a{index}: &a{index} [{', '.join(item.replace('*', earlier) for item in items)}]")
    loader = _LocatingLoader("\n".join(lines) + "\n")
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlloader, "MAX_DEPTH", depth)
        patch.setattr(yamlloader, "MAX_NODES", nodes)
        assert _shape_fine(root) == (_first_shape_fault(root) is None)


# Mappings whose keys and values are text, numbers, nothing, quoted or not, nested or in lists.
_LEAVES = st.sampled_from(["a", "'a'", '"b"', "12", "no", "~", "", "#x", "'#x'", "2026-01-15", "[x, 'y']",
                           "{k: v}", "!!str 3", "'it''s'"])
_KEY_NAMES = st.sampled_from(["name", "'quoted'", "12", "yes", "a b", "null"])


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(_KEY_NAMES, _LEAVES, st.sampled_from(["", "  inner: x\n", "  - i\n"])),
                      max_size=4))
def test_text_keys_and_values_read_at_once_as_constructed(pairs):
    lines = []
    for key, leaf, below in pairs:
        lines.append(f"{key}: {leaf}\n" if not below else f"{key}:\n{below}")
    text = "".join(lines)
    quick = _reading(text)
    with pytest.MonkeyPatch.context() as patch:   # every string checked: each goes through PyYAML's constructors
        patch.setattr(yamlloader, "has_forbidden", lambda text: True)
        assert quick == _reading(text)

"""A plain name's slug is made without python-slugify (content._plain_slug: it costs a build
4 ms of imports); it must be the slug python-slugify makes (content.transliterated_slug)
of every text the quick way takes, and slugify must give the same slug either way."""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content import _PLAIN_NAME, _plain_slug, _shorten, slugify, transliterated_slug

# Names near the quick way's edge: its own characters, and (more rarely) those it leaves to python-slugify.
_NAMES = st.text(alphabet=st.sampled_from(list("aBz09 -") * 4 + list("\t_.,'&`é\u2019ß")), max_size=20)


@settings(max_examples=2000, deadline=None)
@given(text=_NAMES)
@example(text="Borough 0")
@example(text=" -Kings  Cross- ")
@example(text="---")
@example(text="")
@example(text="1,000 Oaks")
def test_a_plain_name_s_slug_is_python_slugify_s(text):
    if _PLAIN_NAME.fullmatch(text):
        assert _plain_slug(text) == transliterated_slug(text)
    assert slugify(text) == _shorten(transliterated_slug(text), 80)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=12))
def test_slugify_of_any_text_is_python_slugify_s(text):
    assert slugify(text, max_length=8) == _shorten(transliterated_slug(text), 8)

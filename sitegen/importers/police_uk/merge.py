"""Merging imported fields into an existing area.yaml: pinned keys, the first link, editor-owned keys."""
from __future__ import annotations

from ...content.areas import AREA

# Keys the import refreshes on every run unless an editor lists them under `pinned:`.
IMPORTED_KEYS = ("name", "description", "population", "team", "contact", "social", "priorities", "events")
# Keys that say where an area comes from; always written, never pinned.
LINK_KEYS = ("police_uk_force", "police_uk_id")


def merge(existing: dict | None, imported: dict) -> dict:
    """EXISTING area.yaml data refreshed with IMPORTED, keeping pinned and editor-owned keys.

    Once an area is linked (it has a police_uk_id) the API is the source of
    every IMPORTED_KEYS key that is not pinned: what it no longer lists goes.
    The first import into an editor's area pins the keys the editor filled
    and the API has nothing for, so linking never deletes their work.
    """
    current = dict(existing or {})
    pinned = list(current.get("pinned", []))
    if current and "police_uk_id" not in current:
        pinned += [k for k in IMPORTED_KEYS if k in current and k not in imported and k not in pinned]
    merged = dict(current) | ({"pinned": pinned} if pinned else {})
    for key in IMPORTED_KEYS:
        if key in pinned:
            continue
        if key in imported:
            merged[key] = imported[key]
        elif key != "name":
            merged.pop(key, None)
    for key in LINK_KEYS:
        merged[key] = imported[key]
    if "social" in imported and "social" not in pinned:
        merged["social"] = _keep_feeds(current.get("social") or [], merged["social"])
    return ordered(merged)


def ordered(fields: dict) -> dict:
    """FIELDS in the order area.yaml declares them, unknown keys last."""
    order = [f.name for f in AREA.fields]
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(fields.items(), key=lambda kv: rank.get(kv[0], len(order))))


def _keep_feeds(old: list, new: list) -> list:
    """An editor's `feed:` on a social link survives when the link does."""
    feeds = {link.get("url"): link["feed"] for link in old if isinstance(link, dict) and link.get("feed")}
    return [link | ({"feed": feeds[link["url"]]} if link["url"] in feeds else {}) for link in new]

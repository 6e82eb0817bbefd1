"""The words the theme's scripts write (static/finder.js, locate.js, site.js), in the
active language: the page gives them to its script as JSON in a data-sitegen-words
attribute (Jinja global `script_words`), so no .js file holds a resident's word.

A message's placeholders are Python's `%(name)s`, which the scripts fill in (a
placeholder may become a link); `paths` are the site paths the scripts link to, in
the page's language.
"""
from __future__ import annotations

from collections.abc import Callable

from .i18n import gettext as _
from .i18n import pgettext, url


def _finder() -> dict[str, str]:
    return {
        "whole": _("Type your whole postcode, like %(example)s."),
        "notPostcode": _('"%(text)s" is not a postcode. A postcode looks like %(example)s: letters and a '
                         "number, a space, then a number and two letters."),
        "letterO": _("Postcodes have a letter O, not a zero, there. Did you mean %(postcode)s? "
                     "Type it with the letter O."),
        "zero": _("Postcodes have a zero (0) there, not the letter O. Did you mean %(postcode)s? "
                  "Type it with the number 0."),
        "notCovered": _("We do not cover %(postcode)s: no ward of ours has a postcode starting %(district)s. "
                        "%(link)s instead."),
        "byName": _("Choose your ward by name"),
        "lookupFailed": _("We could not look up %(postcode)s just now. %(link)s instead."),
        "chooseDistrict": _("Choose from the postcodes starting %(district)s"),
        "notFound": _("We cannot find %(postcode)s. Check it, or %(link)s."),
        "chooseDistrictLower": _("choose from the postcodes starting %(district)s"),
        "oneWard": _("%(postcode)s is in %(ward)s ward."),
        "manyWards": _("%(postcode)s lies in %(count)s wards: %(wards)s."),
        "and": _("%(first)s and %(last)s"),
        "andVowel": pgettext("before a vowel", "%(first)s and %(last)s"),
        "eachTeam": _("Each has its own team. Choose the ward where you live."),
    }


def _locate() -> dict[str, str]:
    return {
        "ward": _("%(name)s ward"),
        "inWard": _("You are in %(ward)s."),
        "inWardBorough": _("You are in %(ward)s, %(borough)s."),
        "borders": _("You are on or near the border between these wards. Choose the one you live in:"),
        "edge": _("You are on or near the edge of this ward:"),
        "outside": _("Your location is not in any ward this site covers."),
        "nearest": _("The nearest wards, measured to their edge, are:"),
        "metres": _("about %(metres)s metres"),
        "km": _("about %(km)s km"),
        "away": _("%(distance)s away"),
        "accuracy": _("Your device knows your location only to within %(distance)s, "
                      "so check this is your ward."),
        "denied": _("You did not allow this site to use your location, "
                    "so it cannot find your ward this way."),
        "unavailable": _("Your location could not be found. Location may be turned off on your device."),
        "timeout": _("Finding your location took too long. You can try again."),
        "index": _("The ward boundaries could not be loaded. Check your connection and try again."),
        "busy": _("Finding your location…"),
    }


def _filter() -> dict[str, str]:
    return {
        "placeIn": _("(%(place)s is in %(ward)s ward)"),
        "matchOne": _('%(count)s ward matches "%(text)s"'),
        "matchMany": _('%(count)s wards match "%(text)s"'),
        "noneTryPostcode": _('No wards match "%(text)s". Try a postcode, or browse by borough.'),
        "noneSpelling": _('No wards match "%(text)s". Check the spelling, or browse by borough.'),
    }


SCRIPTS: dict[str, Callable[[], dict[str, str]]] = {"finder": _finder, "locate": _locate, "filter": _filter}


def script_words(script: str) -> dict[str, object]:
    """The words of SCRIPT ("finder", "locate" or "filter": site.js's name filter) in the
    active language, with `paths`: the home page, the finder and the wards' folder in
    it.  Raises KeyError for another name (a theme template's mistake)."""
    return {**SCRIPTS[script](), "paths": {"home": url("/"), "find": url("/find/"), "areas": url("/areas/")}}

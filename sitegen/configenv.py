"""The environment variables that change what site.yaml gives: read by
sitegen.config, and hashed with site.yaml by the build (sitegen/build/sources.py)
so that a new value rebuilds what it shows."""
from __future__ import annotations

import os

FORMS_ENDPOINT = "SITEGEN_FORMS_ENDPOINT"   # where forms post, overriding site.yaml `forms.endpoint`
PREVIEW = "SITEGEN_PREVIEW"   # a preview build's label (`sitegen build --preview`): '' for the live site
CONFIG_VARIABLES = (FORMS_ENDPOINT, PREVIEW)


def config_environment() -> tuple[str, ...]:
    """The values of CONFIG_VARIABLES ('' for each one unset), in order."""
    return tuple(os.environ.get(name, "") for name in CONFIG_VARIABLES)


def preview_label() -> str:
    """The label of a preview build ('' for a build of the live site): every page is
    then marked noindex with a preview banner, and robots.txt disallows everything."""
    return os.environ.get(PREVIEW, "")

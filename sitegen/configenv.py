"""The environment variables that change what site.yaml gives: read by
sitegen.config, and hashed with site.yaml by the build (sitegen/build/sources.py)
so that a new value rebuilds what it shows."""
from __future__ import annotations

import os

FORMS_ENDPOINT = "SITEGEN_FORMS_ENDPOINT"   # where forms post, overriding site.yaml `forms.endpoint`
CONFIG_VARIABLES = (FORMS_ENDPOINT,)


def config_environment() -> tuple[str, ...]:
    """The values of CONFIG_VARIABLES ('' for each one unset), in order."""
    return tuple(os.environ.get(name, "") for name in CONFIG_VARIABLES)

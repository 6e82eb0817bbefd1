"""sitegen: a static site generator for local-area police sites."""

__version__ = "0.1.0"

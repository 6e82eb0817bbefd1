"""The editors' admin at /admin/: Decap CMS, its config generated from sitegen's own
content schema (config.py), and the files a build publishes for it (outputs.py)."""

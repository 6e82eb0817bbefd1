"""Importers that create area folders from outside data."""

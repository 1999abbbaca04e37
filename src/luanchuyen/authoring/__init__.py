"""Authoring tools over rule packs: lint, coverage of the YAML cases, inspection (list, show, diff)."""

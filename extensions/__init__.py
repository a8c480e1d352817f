"""Jinja extensions of the template; Copier loads each module by path (copier.yml)."""

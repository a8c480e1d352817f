"""Jinja extensions of the template: the context hook, the filters and the update report.

Jinja extensions of the template; Copier loads context.py, filters.py and updates.py by path
(copier.yml), and each loads its sibling modules through _siblings.py."""

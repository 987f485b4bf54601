"""Statistics: result objects, compounding, HAC regressions, bootstraps, clusters, multiple testing.

Numbers in, numbers out; nothing here knows about small caps, claims, notebooks or pages.
"""

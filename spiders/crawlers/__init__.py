"""Thin spiders: one per source; the spider name is the module name."""

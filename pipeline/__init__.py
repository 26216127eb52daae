"""Cleaning and storage: plain Python, no Prefect imports, testable on its own."""

"""Reports: read the store, write HTML a person wants to read, plus Markdown and CSV."""

"""Scrapy project: which URLs to fetch for each source, and page parsing."""

import os

# tldextract (via scrapy-poet's url-matcher) fetches the public-suffix list at import
# time and prints tracebacks offline; its bundled snapshot is all URL matching needs.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

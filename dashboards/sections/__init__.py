"""The report's sections, one module each with its queries and row types, in report order:
``baselines`` (the article beside today), ``premium``, ``trend``, ``distribution``,
``requirements``, ``quality``; ``overview`` holds the figures above them."""

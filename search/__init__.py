"""Persian-aware search: normalizer, search page and API (the search issue fills it)."""

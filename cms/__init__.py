"""Foundations every content type shares: base page, blocks, sanitization, visibility, i18n."""

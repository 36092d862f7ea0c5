"""The domain: SSO's transformation plans as 8-section reports with executive summaries."""

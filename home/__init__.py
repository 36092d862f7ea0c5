"""The portal's home page, site-wide settings and error pages."""

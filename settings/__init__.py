"""The Django project: settings per environment, URLs and the WSGI entry point."""

"""The headless read API: every public page as typed JSON, plus images, documents, media and Plone-style
components.

Built on Wagtail API v2 (Django REST framework) at `/api/v2/…`; see `cms/api/README.md` for the reasoning,
and the endpoints. Everything it shows passes through `cms.visibility`.
"""

"""Deliverables generated from a plan's pages: PDF report and executive summary, implementation guide,
EPUB, PPTX training deck, QR codes and the knowledge-transfer zip package.

Editors never lay these out: everything is rendered from the pages (`documents.py`), in the page's
language, following `plans.sections.SECTIONS`. `build.py` makes them (cached by a content hash);
`tasks.py` runs that in the background when a plan or its summary is published.
"""

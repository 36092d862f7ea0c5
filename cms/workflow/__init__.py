"""Editorial roles, the publication workflow with its written-approval sign-off, restricted documents,
the translation-status view and the project's fixes to wagtail-localize.

Every page is published through one workflow (editorial review → confidentiality sign-off → live);
the sign-off cannot be approved without a written-approval document from the restricted collection
and the approver's note, both kept with the revision's task state and shown in the page history.
"""

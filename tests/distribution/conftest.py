"""Fixtures shared by the distribution tests: one user per editorial role (from the workflow tests)."""

from tests.workflow.conftest import login, users  # noqa: F401  (fixtures)

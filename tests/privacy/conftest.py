"""The privacy tests visit as each role: the workflow tests' users and login fixtures."""

from tests.workflow.conftest import login, users  # noqa: F401

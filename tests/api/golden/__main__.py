"""`python -m tests.api.golden`: rewrite the golden files from the current code (see `tests.api.golden`).

It runs `tests/api/test_golden.py` with REVAYAT_UPDATE_GOLDEN=1; extra arguments go to pytest.
"""

import os
import sys
from pathlib import Path

import pytest

from tests.api.golden import UPDATE_ENV

os.environ[UPDATE_ENV] = "1"
sys.exit(pytest.main(["-q", str(Path(__file__).parents[1] / "test_golden.py"), *sys.argv[1:]]))

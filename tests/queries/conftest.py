"""The query tests that compare answers with the tables read a private snapshot (`db`) at the suite's instant."""
from datetime import datetime

import pytest

from tests.conftest import TEST_NOW


@pytest.fixture(scope="module")
def db(snapshot):
    return snapshot


@pytest.fixture(scope="module")
def now() -> datetime:
    return TEST_NOW

from pathlib import Path

import pytest

from archive import SAMPLE_ISSUE_PATH as SAMPLE_PATH
from archive.importers.txt_format import parse_txt


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    return SAMPLE_PATH.read_bytes()


@pytest.fixture(scope="session")
def parsed_sample(sample_bytes):
    return parse_txt(sample_bytes)


@pytest.fixture
def sample_file(sample_bytes, tmp_path) -> Path:
    path = tmp_path / "xinxi-zhaibian-2023-08.txt"
    path.write_bytes(sample_bytes)
    return path

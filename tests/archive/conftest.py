from pathlib import Path

import pytest

from archive.importers.txt_format import parse_txt

SAMPLE_PATH = Path("/work/shared/samples/xinxi-zhaibian-2023-08.txt")


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    if not SAMPLE_PATH.exists():
        pytest.skip(f"sample issue not found at {SAMPLE_PATH}")
    return SAMPLE_PATH.read_bytes()


@pytest.fixture(scope="session")
def parsed_sample(sample_bytes):
    return parse_txt(sample_bytes)


@pytest.fixture
def sample_file(sample_bytes, tmp_path) -> Path:
    path = tmp_path / "xinxi-zhaibian-2023-08.txt"
    path.write_bytes(sample_bytes)
    return path

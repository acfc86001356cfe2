from pathlib import Path

# The real issue the project ships (2023 年第八期, text layer of its PDF): the demo
# data, the importer's tests and the benchmarks all read it from here.
SAMPLE_ISSUE_PATH = (
    Path(__file__).resolve().parent / "samples" / "xinxi-zhaibian-2023-08.txt"
)

"""Progress of long management commands, for the person at the terminal."""

from contextlib import contextmanager

from django.core.management.base import OutputWrapper
from tqdm import tqdm


class _Unterminated:
    """A command's OutputWrapper ends every write with a newline; a bar redraws
    its line with carriage returns, so it writes through this instead."""

    def __init__(self, wrapper: OutputWrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


@contextmanager
def terminal_bar(stream, labels: dict[str, str]):
    """Yield a progress callback (stage, done, total) that draws one bar per stage
    on `stream`, labelled from `labels`; silent when `stream` is not a terminal,
    so piped output and logs keep only the command's report."""
    bars: dict[str, tqdm] = {}
    shown = stream.isatty()
    if isinstance(stream, OutputWrapper):
        stream = _Unterminated(stream)

    def report(stage: str, done: int, total: int) -> None:
        if not shown:
            return
        bar = bars.get(stage)
        if bar is None:
            for earlier in bars.values():
                earlier.close()
            bar = bars[stage] = tqdm(
                total=total, desc=labels.get(stage, stage), file=stream, leave=True
            )
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield report
    finally:
        for bar in bars.values():
            bar.close()

"""What SongAtlas's Python helpers share: paths, logging, arguments, pins, audio and fixture JSON.

The helpers make reference fixtures, sample audio and evaluation sets, and run
the peer tools (librosa, scikit-learn, MiniSom, mir_eval) that the benchmarks
and evaluations compare against. They run in the pinned environment that
scripts/python-env makes, through the runner:

    scripts/py NAME [ARGS...]        # runs scripts/python/NAME.py

This module imports only the standard library when it is loaded, so a helper
can call `pin_threads_to_one()` before numpy is imported. Everything that needs
numpy, soundfile or librosa imports it inside the function.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import math
import os
import re
import sys
from importlib import metadata
from pathlib import Path

# The repository's root folder (this file is scripts/python/songatlas_py.py).
REPO_ROOT = Path(__file__).resolve().parents[2]

# The file that pins every Python package the helpers use (one `NAME==VERSION` a line).
PYTHON_ENV = REPO_ROOT / "scripts" / "python-env"

# The analysis rate SongAtlas resamples to, and librosa.load's default.
ANALYSIS_RATE = 22050

# The thread-pool variables of numpy's BLAS, OpenMP and numba.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

def pin_threads_to_one() -> None:
    """Limits every thread pool to one thread. Call it before numpy or numba is imported."""
    for variable in THREAD_VARIABLES:
        os.environ[variable] = "1"


def log(message: str) -> None:
    """Writes a progress line to standard error (standard output is kept for results)."""
    print(message, file=sys.stderr, flush=True)


def argument_parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser whose --help shows the helper's docstring as written."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def print_json(obj, indent: int | None = None) -> None:
    """Prints one JSON object and a newline on standard output: what a peer hands back to its caller."""
    json.dump(obj, sys.stdout, indent=indent)
    sys.stdout.write("\n")


# ---------------------------------------------------------------------------
# Pinned versions
# ---------------------------------------------------------------------------

def pinned_versions() -> dict[str, str]:
    """The `NAME==VERSION` pins of scripts/python-env, by normalised distribution name."""
    text = PYTHON_ENV.read_text()
    return {_normalised(name): version for name, version in re.findall(r'"([A-Za-z0-9_.-]+)==([^"\s]+)"', text)}


def require_pinned(*distributions: str) -> dict[str, str]:
    """Checks that each distribution is installed at the version scripts/python-env pins; returns the versions.

    Exits with one line naming the package, the version found and the pin when
    one differs: a fixture made with another version would not match its provenance.
    """
    pins = pinned_versions()
    found = {}
    for distribution in distributions:
        pin = pins.get(_normalised(distribution))
        if pin is None:
            sys.exit(f"{_caller()}: {distribution} is not pinned in scripts/python-env")
        try:
            installed = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            sys.exit(f"{_caller()}: {distribution} is not installed (pinned {pin}); run it through scripts/py")
        if installed != pin:
            sys.exit(f"{_caller()}: {distribution} {installed} is installed, scripts/python-env pins {pin}")
        found[distribution] = installed
    return found


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _caller() -> str:
    return Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else "songatlas_py"


# ---------------------------------------------------------------------------
# Audio
# ---------------------------------------------------------------------------

def load_mono(path, rate: int | None = ANALYSIS_RATE):
    """`librosa.load(path, sr=rate, mono=True)`: mono float32 at `rate` Hz (None keeps the file's rate).

    Returns (samples, rate). librosa resamples with soxr_hq.
    """
    import librosa

    return librosa.load(path, sr=rate, mono=True)


def flac_files(paths) -> list[str]:
    """The FLAC files among `paths`, a folder standing for its *.flac files; sorted, without repeats.

    Exits naming the first path that does not exist.
    """
    found = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(glob.glob(os.path.join(path, "*.flac")))  # skips hidden part-files
        elif os.path.isfile(path):
            found.append(path)
        else:
            sys.exit(f"{_caller()}: no such file or directory: {path}")
    return sorted(set(found))


def blob_matrix(path, rows: int, columns: int):
    """The benchmarks' seeded float32 matrix: 8 overlapping Gaussian blobs, rows x columns.

    Written once to `path` (raw little-endian float32, row-major) if it does not
    exist, so the Swift side of a benchmark reads the very same numbers; then read back.
    """
    import numpy as np

    if not os.path.exists(path):
        rng = np.random.default_rng(20261125)
        centres = rng.normal(0.0, 3.0, size=(8, columns))
        labels = rng.integers(0, 8, size=rows)
        data = centres[labels] + rng.normal(0.0, 2.0, size=(rows, columns))
        data.astype("<f4").tofile(path)
    return np.fromfile(path, dtype="<f4").reshape(rows, columns)


# ---------------------------------------------------------------------------
# Reference fixtures
# ---------------------------------------------------------------------------

def significant(value: float, digits: int) -> float:
    """`value` rounded to `digits` significant digits, as JSON will hold it; never NaN, never -0.0."""
    rounded = float(f"{float(value):.{digits}g}")
    assert math.isfinite(rounded), value
    return rounded + 0.0


def generated_on() -> str:
    """The fixture's date, YYYY-MM-DD in UTC: SOURCE_DATE_EPOCH when set (to pin it), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.strftime("%Y-%m-%d")


def provenance(tool: str, version: str, generated_by: str, libraries: dict[str, str], **details) -> dict:
    """A fixture's provenance block: which tool at which version, the libraries under it, who wrote it and when.

    Keys come in a fixed order (tool, version, the libraries, python,
    generatedBy, generatedOn, then `details` as given, typically `calls`: the
    exact call behind each value), so regenerating a fixture changes only what changed.
    """
    import platform

    return {
        "tool": tool,
        "version": version,
        **libraries,
        "python": platform.python_version(),
        "generatedBy": generated_by,
        "generatedOn": generated_on(),
        **details,
    }


def fixture_json(obj, indent: int = 0) -> str:
    """JSON written one line per data row: objects and lists of lists are spread over lines,
    lists of plain values stay on one line. Readable, diff-friendly and compact."""
    pad = "  " * indent
    if isinstance(obj, dict):
        items = [f'{pad}  {json.dumps(k)}: {fixture_json(v, indent + 1).lstrip()}' for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (list, dict)) for v in obj):
            return pad + json.dumps(obj, separators=(",", ":"))
        items = [fixture_json(v, indent + 1) for v in obj]
        return pad + "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return pad + json.dumps(obj)


def write_fixture(path: Path, text: str, max_bytes: int | None = None, note: str = "") -> int:
    """Writes `text` to `path` and reports its size; returns 1 (and warns) when it is over `max_bytes`."""
    path.write_text(text)
    size = len(text.encode())
    print(f"wrote {path} ({note}{size / 1024:.1f} KiB)")
    if max_bytes is not None and size > max_bytes:
        print(f"warning: {path.name} is larger than {max_bytes // 1024} KiB", file=sys.stderr)
        return 1
    return 0

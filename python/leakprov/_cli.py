"""Finding and running the leakprov CLI."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tempfile
import threading

from ._report import Report, read_rows

#: Environment variable naming the CLI: a path to the binary, or
#: "go run" (optionally followed by a checkout's directory) to build
#: ./cmd/leakprov of a checkout of the repository.
ENV = "LEAKPROV"

#: Module path whose go.mod marks a checkout of the repository.
_MODULE = "github.com/leakprov/leakprov"

#: Keyword arguments of score() that are not CLI flags.
_RESERVED = ("cli", "timeout")

#: Flags score() sets itself: the report is read from standard output as
#: JSON.
_REFUSED = {
    "format": "score() always asks for --format json; render other formats with the CLI",
    "o": "score() reads the report from the CLI's standard output; save it with json.dump(report, f)",
    "output": "score() reads the report from the CLI's standard output; save it with json.dump(report, f)",
}


class LeakprovError(RuntimeError):
    """The CLI failed, or could not be run.

    Attributes: ``returncode`` (the CLI's exit status: 1 when an ``expect=``
    check failed, 2 on bad input or usage; None when it did not run),
    ``stderr`` (what it wrote there), ``argv`` (the command run) and
    ``report`` (the report, when the CLI printed one before failing, as with
    a failed ``expect=``; else None).
    """

    def __init__(self, message, *, returncode=None, stderr="", argv=None, report=None):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr
        self.argv = list(argv or [])
        self.report = report


class LeakprovNotFound(LeakprovError):
    """No leakprov CLI was found to run."""


def score(catalog, sample, /, **options):
    """Score a leaked sample against a catalog of signatures with the CLI.

    ``catalog`` is a signature file or a directory of them, or a list of
    those; ``sample`` a sample path (a plain or compressed file, an archive,
    a SQL dump, a workbook, a directory), or a list of them. Standard input
    is not passed on: ``sample="-"`` reads nothing.

    Keyword options map to ``leakprov score`` flags, an underscore for each
    dash: ``schema="diia-driver-licence"`` is ``--schema=diia-driver-licence``,
    ``key_file=`` ``--key-file``, ``region=``, ``sample=N`` (score a uniform
    sample of N records), ``seed=``, ``claimed_records=``, ``expect=``,
    ``expect_uncertain_ok=True`` (accept the expected verdict when its
    interval straddles a threshold, ``report["verdict_certain"]`` false),
    ``recycled_at=``, ``new_at=``, ``min_identified=``, ``novel_below=``,
    ``encoding=``, ``skip_bad=True``, ``force=True``. True gives the bare
    flag, False and None leave it out, a list or tuple repeats it, and a
    dict repeats it as KEY=VALUE (``map={"Phone no": "phone"}``).

    ``rows=True`` also asks for the per-record attribution (``--rows``) in a
    temporary file and reads it back into the report (see
    :meth:`Report.rows_frame`); ``rows="rows.csv"`` writes it there and keeps
    it. ``show_values=True`` adds the records' fields to those rows and the
    full extreme dates to the report.

    Two options are not flags: ``cli`` (the CLI to run, as for the
    ``LEAKPROV`` environment variable, or a list of argv words) and
    ``timeout`` (seconds, then the CLI is killed and
    ``subprocess.TimeoutExpired`` raised).

    The CLI is, in order: ``cli``; the ``LEAKPROV`` environment variable (a
    path, or ``go run`` [DIR] to build ``./cmd/leakprov`` of a checkout,
    once per process); ``leakprov`` on ``PATH``.

    Returns a :class:`Report`. Raises :class:`LeakprovError` carrying the
    CLI's stderr and exit status when it fails, :class:`LeakprovNotFound`
    when there is no CLI to run, and ValueError for options score() cannot
    pass.
    """
    cli = options.pop("cli", None)
    timeout = options.pop("timeout", None)
    rows = options.pop("rows", None)
    argv = _command(cli)
    with tempfile.TemporaryDirectory(prefix="leakprov-") as tmp:
        rows_path = None
        if rows is True:
            rows_path = os.path.join(tmp, "rows.csv")
        elif rows not in (None, False):
            rows_path = os.fspath(rows)
            if rows_path in ("", "-"):
                raise ValueError("rows: give True or a file path (the report takes standard output)")
        args = argv + _score_args(catalog, sample, rows=rows_path, **options)
        try:
            proc = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=timeout, check=False)
        except OSError as e:
            raise LeakprovNotFound(f"cannot run {args[0]}: {e}", argv=args) from e
        stderr = proc.stderr.decode("utf-8", errors="replace")
        report = None
        try:
            report = Report(json.loads(proc.stdout.decode("utf-8")))
        except (ValueError, TypeError):  # no JSON, or JSON that is no object
            pass
        if proc.returncode != 0:
            raise LeakprovError(_failure(args, proc.returncode, stderr), returncode=proc.returncode,
                                stderr=stderr, argv=args, report=report)
        if report is None:
            raise LeakprovError(f"{_shown(args)} printed no JSON report", returncode=0,
                                stderr=stderr, argv=args)
        report.argv = args
        report.stderr = stderr
        if rows_path is not None:
            report.rows = read_rows(rows_path)
            if rows is not True:
                report.rows_path = rows_path
        return report


def _score_args(catalog, sample, /, *, rows=None, **options):
    """Return the arguments of ``leakprov score`` for score()'s parameters,
    after the command itself: ``["score", "--format=json", ...]``."""
    for name in _RESERVED:
        options.pop(name, None)
    args = ["score", "--format=json"]
    args += _flag("catalog", catalog)
    if not args[2:]:
        raise ValueError("catalog: give a signature file or directory")
    if rows is not None:
        args += _flag("rows", rows)
    for name, value in options.items():
        if name in _REFUSED:
            raise ValueError(f"{name}=: {_REFUSED[name]}")
        args += _flag(name, value)
    samples = _paths(sample)
    if not samples:
        raise ValueError("sample: give a sample file")
    # "--" ends the flags, so that a sample named like a flag is a sample.
    return args + ["--"] + samples


def _flag(name, value):
    """The CLI arguments for one keyword option."""
    flag = "--" + name.replace("_", "-")
    if value is None or value is False:
        return []
    if value is True:
        return [flag]
    if isinstance(value, dict):
        return [f"{flag}={_text(k)}={_text(v)}" for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out += _flag(name, v)
        return out
    return [f"{flag}={_text(value)}"]


def _text(value):
    """A flag's value as text."""
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a flag value")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _paths(value):
    """A path or a list of paths as a list of strings."""
    if isinstance(value, (list, tuple)):
        return [os.fspath(v) for v in value]
    return [os.fspath(value)]


def _shown(args):
    return " ".join(args[:2]) if args else "leakprov"


def _failure(args, code, stderr):
    """The message of a failed run: the CLI's own words."""
    what = f"leakprov exited with status {code}"
    if code == 1:
        what = "leakprov: the expect= check failed"
    elif code is not None and code < 0:
        what = f"leakprov was killed by signal {-code}"
    detail = stderr.strip()
    return f"{what}: {detail}" if detail else what


def _command(cli=None):
    """The argv words that run the CLI."""
    if cli is None:
        cli = os.environ.get(ENV) or None
        source = f"${ENV}"
    else:
        source = "cli="
    if cli is None:
        found = shutil.which("leakprov")
        if found is None:
            raise LeakprovNotFound(
                "no leakprov CLI: install it (go install github.com/leakprov/leakprov/cmd/leakprov@latest), "
                f"set {ENV} to its path, or set {ENV}='go run' in a checkout of the repository")
        return [found]
    if isinstance(cli, (list, tuple)):
        if not cli:
            raise ValueError("cli: an empty command")
        return [os.fspath(w) for w in cli]
    cli = os.fspath(cli)
    words = cli.split(None, 2)
    if words[:2] == ["go", "run"]:
        return [_go_build(words[2] if len(words) > 2 else None)]
    if os.sep not in cli and not os.path.exists(cli):
        found = shutil.which(cli)
        if found is None:
            raise LeakprovNotFound(f"{source} names {cli!r}, which is not on PATH")
        return [found]
    if not os.path.isfile(cli):
        raise LeakprovNotFound(f"{source} names {cli!r}, which is not a file")
    if not os.access(cli, os.X_OK):
        raise LeakprovNotFound(f"{source} names {cli!r}, which is not executable")
    return [os.path.abspath(cli)]


_built = {}
_built_lock = threading.Lock()


def _go_build(checkout):
    """Build ./cmd/leakprov of a checkout once per process, as go run
    would, and return the binary's path."""
    if checkout is None:
        checkout = _own_checkout()
        if checkout is None:
            raise LeakprovNotFound(f"{ENV}='go run': this package is not inside a checkout of "
                                   f"{_MODULE}; name one: {ENV}='go run DIR'")
    checkout = os.path.abspath(checkout)
    if not _is_checkout(checkout):
        raise LeakprovNotFound(f"go run: {checkout} is not a checkout of {_MODULE} (no go.mod of that module)")
    go = shutil.which("go")
    if go is None:
        raise LeakprovNotFound("go run: no go command on PATH")
    with _built_lock:
        if checkout in _built:
            return _built[checkout]
        tmp = tempfile.mkdtemp(prefix="leakprov-go-")
        atexit.register(shutil.rmtree, tmp, True)
        binary = os.path.join(tmp, "leakprov")
        args = [go, "build", "-o", binary, "./cmd/leakprov"]
        proc = subprocess.run(args, cwd=checkout, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        if proc.returncode != 0:
            stderr = proc.stderr.decode("utf-8", errors="replace")
            raise LeakprovError(f"go build ./cmd/leakprov in {checkout} failed: {stderr.strip()}",
                                returncode=proc.returncode, stderr=stderr, argv=args)
        _built[checkout] = binary
        return binary


def _is_checkout(d):
    try:
        with open(os.path.join(d, "go.mod"), encoding="utf-8") as f:
            first = f.readline().split()
    except OSError:
        return False
    return first[:2] == ["module", _MODULE]


def _own_checkout():
    """The checkout this package sits in (python/leakprov/ of it), if any."""
    d = os.path.dirname(os.path.abspath(__file__))
    for _ in range(3):
        d = os.path.dirname(d)
        if _is_checkout(d):
            return d
    return None

"""The report: the CLI's JSON report as a dict, with tabular views."""

from __future__ import annotations

import csv
import json
import os

#: Columns of the per-record attribution (score --rows), in order; with
#: show_values the sample's own columns follow.
ROW_COLUMNS = ("row", "member", "status", "sources", "joint_sources", "kinds")


class Report(dict):
    """A leakprov report (report_version 1): the JSON object the CLI prints,
    as a dict, so ``report["verdict"]``, ``report["sources"][0]["records"]``
    and ``json.dump(report, f)`` work as on the JSON itself.

    Attributes set by :func:`leakprov.score`: ``rows`` (the per-record
    attribution as a list of dicts when ``rows=`` was given, else None),
    ``rows_path`` (where the rows were kept, for ``rows="FILE"``), ``argv``
    (the command run) and ``stderr`` (the CLI's warnings).
    """

    rows = None
    rows_path = None
    argv = None
    stderr = ""

    def sources_frame(self):
        """One row per source, in the report's order (largest records share
        first), with nested objects flattened into columns joined by "_":
        ``records_estimate``, ``records_low``, ``records_high``, the same for
        ``joint`` and ``exclusive``, ``fields_phone_estimate``, ... A pandas
        DataFrame when pandas is installed, else a list of dicts with the
        same keys (None where a source lacks one)."""
        table = [_flatten(s) for s in self.get("sources") or []]
        columns = _columns(table)
        table = [{c: r.get(c) for c in columns} for r in table]
        pd = _import_pandas()
        if pd is None:
            return table
        return pd.DataFrame(table, columns=columns)

    def rows_frame(self):
        """The per-record attribution: one row per sample record, with the
        columns row (1-based record number within its member, an int),
        member, status (matched, unmatched or unidentified), sources and
        joint_sources (";"-joined names of the significant sources matched,
        and of those matched on two identifiers together) and kinds
        (";"-joined kinds that matched), then, with show_values, the
        record's fields (a repeated column name gets ".1", ".2", ...). A
        pandas DataFrame when pandas is installed, else a list of dicts.
        Raises ValueError when score() was not asked for rows."""
        if self.rows is None:
            raise ValueError("this report has no rows: call leakprov.score(..., rows=True)")
        pd = _import_pandas()
        if pd is None:
            return self.rows
        columns = list(self.rows[0]) if self.rows else list(ROW_COLUMNS)
        return pd.DataFrame(self.rows, columns=columns)


def load(path, rows=None):
    """Read a report saved as JSON (``score --format json``, ``-o``, or
    ``json.dump(report, f)``), and optionally its rows CSV
    (``score --rows FILE``), into a :class:`Report`."""
    with open(path, encoding="utf-8") as f:
        report = Report(json.load(f))
    if rows is not None:
        report.rows = read_rows(rows)
        report.rows_path = os.fspath(rows)
    return report


def read_rows(path):
    """Read a rows CSV (score --rows) into a list of dicts, the row number
    as an int and every other cell as the text the CLI wrote."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{os.fspath(path)}: empty rows file, no header")
        missing = [c for c in ROW_COLUMNS if c not in header[: len(ROW_COLUMNS)]]
        if missing:
            raise ValueError(f"{os.fspath(path)}: not a rows file: header lacks {', '.join(missing)}")
        header = _unique(header)
        out = []
        for line, cells in enumerate(reader, start=2):
            if len(cells) != len(header):
                raise ValueError(f"{os.fspath(path)}: line {line}: {len(cells)} cells, want {len(header)}")
            rec = dict(zip(header, cells))
            try:
                rec["row"] = int(rec["row"])
            except ValueError:
                raise ValueError(f"{os.fspath(path)}: line {line}: row {rec['row']!r} is not a number") from None
            out.append(rec)
        return out


def _unique(names):
    """Column names made unique as pandas does: a repeat gets ".1", ".2"."""
    seen = {}
    out = []
    for n in names:
        name = n
        while name in seen:
            seen[n] += 1
            name = f"{n}.{seen[n]}"
        seen.setdefault(name, 0)
        out.append(name)
    return out


def _flatten(obj, prefix=""):
    """A nested dict as one level, keys joined with "_"."""
    out = {}
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "_"))
        else:
            out[key] = v
    return out


def _columns(table):
    """The keys of every row, in the order first seen."""
    seen = {}
    for r in table:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def _import_pandas():
    """pandas, or None when it is not installed."""
    try:
        import pandas
    except ImportError:
        return None
    return pandas

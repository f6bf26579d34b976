"""Leak provenance from notebooks: run the leakprov CLI and get its report.

    >>> import leakprov
    >>> report = leakprov.score("testdata/catalog", "testdata/leak.csv",
    ...                         schema="diia-driver-licence", rows=True)
    >>> report["verdict"]
    'mixed'
    >>> report.sources_frame()      # a pandas DataFrame, or a list of dicts
    >>> report.rows_frame()         # one row per sample record

The report is the CLI's JSON report (report_version 1, described by
docs/report.schema.json) as a dict. The package needs only the standard
library; with pandas installed the frames are DataFrames.
"""

from ._cli import LeakprovError, LeakprovNotFound, score
from ._report import Report, load

__all__ = ["score", "load", "Report", "LeakprovError", "LeakprovNotFound"]
__version__ = "0.1.0"

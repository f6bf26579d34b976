"""Tests of the leakprov notebook helper against the bundled fixtures.

Run from the repository's root:

    python3 -m unittest discover -s python/tests

The CLI is $LEAKPROV when set, else built once with
``go build -o TMP ./cmd/leakprov``; without either the tests are skipped.
The pandas tests run only where pandas is importable.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))

import leakprov  # noqa: E402
from leakprov import _cli, _report  # noqa: E402

CATALOG = os.path.join(REPO, "testdata", "catalog")
SCENARIOS = {  # sample, schema of the accused system
    "ua": ("sample.csv", "diia-driver-licence"),
    "in": ("sample.tsv", "cowin-beneficiary"),
    "kz": ("sample.csv", "e-astana-kindergarten"),
    "rp": ("sample.csv", "reserve-plus"),
}

CLI = None  # the binary the tests run
_tmp = None
_skip = None


def setUpModule():
    global CLI, _tmp, _skip
    if os.environ.get(_cli.ENV):
        CLI = os.environ[_cli.ENV]
        return
    if shutil.which("go") is None:
        _skip = f"no go command to build the CLI and ${_cli.ENV} is not set"
        return
    _tmp = tempfile.mkdtemp(prefix="leakprov-test-")
    CLI = os.path.join(_tmp, "leakprov")
    subprocess.run(["go", "build", "-o", CLI, "./cmd/leakprov"], cwd=REPO, check=True)


def tearDownModule():
    if _tmp is not None:
        shutil.rmtree(_tmp, ignore_errors=True)


def sample(scenario):
    return os.path.join(REPO, "testdata", scenario, SCENARIOS[scenario][0])


def truth(scenario):
    with open(os.path.join(REPO, "testdata", scenario, "truth.json"), encoding="utf-8") as f:
        return json.load(f)


def has_pandas():
    return _report._import_pandas() is not None


_rows_supported = None


def rows_supported():
    """Whether the CLI accepts score --rows: an unknown flag is a usage error
    naming it ("flag provided but not defined: -rows", "unknown flag --rows")."""
    global _rows_supported
    if _rows_supported is None:
        proc = subprocess.run([CLI, "score", "--rows", os.devnull], capture_output=True, text=True)
        _rows_supported = re.search(r"not defined: -rows\b|unknown flag --?rows\b", proc.stderr) is None
    return _rows_supported


class CLITest(unittest.TestCase):
    """Base of the tests that run the CLI."""

    def setUp(self):
        if _skip:
            self.skipTest(_skip)
        env = mock.patch.dict(os.environ, {_cli.ENV: CLI})
        env.start()
        self.addCleanup(env.stop)

    def need_rows(self):
        if not rows_supported():
            self.skipTest("the CLI does not accept score --rows yet (its usage error says the flag is unknown)")

    def tempdir(self):
        d = tempfile.mkdtemp(prefix="leakprov-test-")
        self.addCleanup(shutil.rmtree, d, True)
        return d


class TestArguments(unittest.TestCase):
    """Keyword options become flags, without running anything."""

    def test_options_map_to_flags(self):
        args = _cli._score_args("cat", "leak.csv", schema="diia-driver-licence", region="UA",
                                key_file="k.key", sample=200, seed=7, claimed_records=26000000,
                                show_values=True, skip_bad=False, encoding=None, novel_below=0.25)
        self.assertEqual(args, ["score", "--format=json", "--catalog=cat", "--schema=diia-driver-licence",
                                "--region=UA", "--key-file=k.key", "--sample=200", "--seed=7",
                                "--claimed-records=26000000", "--show-values", "--novel-below=0.25",
                                "--", "leak.csv"], "flags of score(cat, leak.csv, ...)")

    def test_lists_and_dicts_repeat(self):
        args = _cli._score_args(["a.lps", "dir"], ["x.csv", "y.csv"], map={"Tel no": "phone", "Mail": "email"})
        self.assertEqual(args, ["score", "--format=json", "--catalog=a.lps", "--catalog=dir",
                                "--map=Tel no=phone", "--map=Mail=email", "--", "x.csv", "y.csv"],
                         "two catalogs, two samples, a map")

    def test_sample_named_like_a_flag_stays_a_sample(self):
        args = _cli._score_args("cat", "--help")
        self.assertEqual(args[-2:], ["--", "--help"], "a sample called --help comes after --")

    def test_refused_options(self):
        for name in ("format", "o", "output"):
            with self.subTest(option=name):
                with self.assertRaises(ValueError, msg=f"score(..., {name}=...)") as cm:
                    _cli._score_args("cat", "leak.csv", **{name: "x"})
                self.assertIn(name, str(cm.exception), f"the error names {name}=")

    def test_empty_catalog_or_sample(self):
        with self.assertRaises(ValueError, msg="score([], leak.csv)"):
            _cli._score_args([], "leak.csv")
        with self.assertRaises(ValueError, msg="score(cat, [])"):
            _cli._score_args("cat", [])


class TestFinding(unittest.TestCase):
    """Which CLI score() runs."""

    def test_not_found(self):
        empty = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, empty, True)
        with mock.patch.dict(os.environ, {"PATH": empty, _cli.ENV: ""}):
            with self.assertRaises(leakprov.LeakprovNotFound, msg="no CLI anywhere") as cm:
                leakprov.score(CATALOG, sample("ua"))
        self.assertIn(_cli.ENV, str(cm.exception), "the error says how to name the CLI")
        self.assertIsInstance(cm.exception, leakprov.LeakprovError, "LeakprovNotFound is a LeakprovError")

    def test_env_names_a_missing_file(self):
        with mock.patch.dict(os.environ, {_cli.ENV: os.path.join(REPO, "no", "such", "leakprov")}):
            with self.assertRaises(leakprov.LeakprovNotFound, msg="LEAKPROV names no file") as cm:
                leakprov.score(CATALOG, sample("ua"))
        self.assertIn("not a file", str(cm.exception), "the error says what is wrong")

    def test_go_run_outside_a_checkout(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        with self.assertRaises(leakprov.LeakprovNotFound, msg="go run in a directory without go.mod") as cm:
            _cli._command(f"go run {d}")
        self.assertIn("not a checkout", str(cm.exception), "the error names the problem")

    def test_own_checkout(self):
        self.assertEqual(_cli._own_checkout(), REPO, "python/leakprov sits in the repository's checkout")


class TestScore(CLITest):

    def test_scenarios_match_truth(self):
        for scenario, (_, schema) in SCENARIOS.items():
            with self.subTest(scenario=scenario):
                want = truth(scenario)
                r = leakprov.score(CATALOG, sample(scenario), schema=schema)
                self.assertIsInstance(r, dict, f"{scenario}: the report is a dict")
                self.assertIsInstance(r, leakprov.Report, f"{scenario}: the report is a Report")
                self.assertEqual(r["report_version"], 1, f"{scenario}: report_version")
                self.assertEqual(r["verdict"], want["verdict"], f"{scenario}: verdict")
                self.assertAlmostEqual(r["explained"]["estimate"], want["explained"], delta=0.02,
                                       msg=f"{scenario}: explained")
                self.assertEqual(r["sample"]["records"], want["records"], f"{scenario}: sample.records")
                self.assertEqual(r["claim"]["schema"], schema, f"{scenario}: claim.schema")
                self.assertEqual(r["claim"]["consistent"], want["claim"]["consistent"], f"{scenario}: claim.consistent")
                got = {s["name"]: s["records"]["estimate"] for s in r["sources"]}
                for name, share in want["sources"].items():
                    self.assertIn(name, got, f"{scenario}: source {name} in the report")
                    self.assertAlmostEqual(got[name], share, delta=0.02, msg=f"{scenario}: {name} records share")

    def test_report_is_the_cli_json(self):
        # One SOURCE_DATE_EPOCH for both runs: otherwise their "created"
        # differ whenever a second passes between them.
        with mock.patch.dict(os.environ, {"SOURCE_DATE_EPOCH": "1735689600"}):
            proc = subprocess.run([CLI, "score", "--catalog", CATALOG, "--format", "json", sample("kz")],
                                  capture_output=True, check=True)
            r = leakprov.score(CATALOG, sample("kz"))
        self.assertEqual(json.loads(json.dumps(r)), json.loads(proc.stdout), "json.dumps(report) is the CLI's JSON")
        self.assertEqual(r.argv[0], os.path.abspath(CLI), "report.argv names the CLI run")

    def test_options_reach_the_cli(self):
        r = leakprov.score(CATALOG, sample("ua"), sample=200, seed=7, region="UA")
        self.assertEqual(r["sample"]["sampling"], {"size": 200, "total": 2000, "seed": 7}, "sample=200, seed=7")
        self.assertEqual(r["sample"]["region"], "UA", "region=UA")

        month = leakprov.score(CATALOG, sample("ua"))["time"]["oldest"]["birth_date"]
        day = leakprov.score(CATALOG, sample("ua"), show_values=True)["time"]["oldest"]["birth_date"]
        self.assertRegex(month, r"^\d{4}-\d{2}$", "time.oldest without show_values")
        self.assertRegex(day, r"^\d{4}-\d{2}-\d{2}$", "time.oldest with show_values=True")

        r = leakprov.score(CATALOG, sample("ua"), schema="diia-driver-licence", claimed_records=26000000)
        volume = [f for f in r["claim"]["findings"] if f["check"] == "volume"]
        self.assertTrue(volume and not volume[0]["passed"], f"claimed_records=26000000 fails the volume check: {volume}")

    def test_several_catalogs_and_samples(self):
        cats = [os.path.join(CATALOG, "bank-2016.lps"), os.path.join(CATALOG, "social-2013.lps")]
        r = leakprov.score(cats, [sample("ua"), os.path.join(REPO, "testdata", "leak.csv")])
        self.assertEqual(sorted(s["name"] for s in r["sources"]), ["bank-2016", "social-2013"], "two catalogs")
        self.assertEqual(len(r["sample"]["files"]), 2, "two samples, two members")
        self.assertEqual(r["sample"]["records"], 4000, "records of both samples")

    def test_key_file(self):
        d = self.tempdir()
        key, sig = os.path.join(d, "key"), os.path.join(d, "telecom.lps")
        subprocess.run([CLI, "keygen", "-o", key], check=True, capture_output=True)
        subprocess.run([CLI, "index", "--name", "telecom-2019", "--snapshot", "2019-09-01", "--region", "KZ",
                        "--key-file", key, "-o", sig, os.path.join(REPO, "testdata", "kz", "sources", "telecom-2019.csv")],
                       check=True, capture_output=True)
        r = leakprov.score(sig, sample("kz"), key_file=key)
        self.assertEqual(r["sources"][0]["name"], "telecom-2019", "keyed catalog scored with key_file=")
        self.assertAlmostEqual(r["explained"]["estimate"], truth("kz")["explained"], delta=0.02,
                               msg="explained with the keyed catalog")
        with self.assertRaises(leakprov.LeakprovError, msg="keyed catalog without key_file=") as cm:
            leakprov.score(sig, sample("kz"))
        self.assertEqual(cm.exception.returncode, 2, "exit status of a keyed catalog without its key")

    def test_failure_carries_stderr_and_status(self):
        missing = os.path.join(REPO, "testdata", "no-such-sample.csv")
        with self.assertRaises(leakprov.LeakprovError, msg="a sample that does not exist") as cm:
            leakprov.score(CATALOG, missing)
        e = cm.exception
        self.assertEqual(e.returncode, 2, "exit status of bad input")
        self.assertIn("no-such-sample.csv", e.stderr, "stderr names the missing sample")
        self.assertIn(e.stderr.strip(), str(e), "the message carries the CLI's stderr")
        self.assertIn("--", e.argv, "argv of the failed command")
        self.assertIsNone(e.report, "no report when the CLI printed none")

    def test_unknown_option_is_the_cli_usage_error(self):
        with self.assertRaises(leakprov.LeakprovError, msg="score(..., shoe_size=44)") as cm:
            leakprov.score(CATALOG, sample("ua"), shoe_size=44)
        self.assertEqual(cm.exception.returncode, 2, "exit status of a usage error")
        self.assertIn("shoe-size", cm.exception.stderr, "the CLI names the unknown flag")

    def test_expect_failure_keeps_the_report(self):
        with self.assertRaises(leakprov.LeakprovError, msg="expect=recycled of a mixed sample") as cm:
            leakprov.score(CATALOG, sample("ua"), expect="recycled")
        e = cm.exception
        self.assertEqual(e.returncode, 1, "exit status of a failed expect=")
        self.assertIsNotNone(e.report, "the report printed before the failed check")
        self.assertEqual(e.report["verdict"], "mixed", "verdict of the kept report")
        r = leakprov.score(CATALOG, sample("ua"), expect="mixed")
        self.assertEqual(r["verdict"], "mixed", "expect= the right verdict")

    def test_expect_uncertain_verdict(self):
        # 100 records of the 93%-recycled CoWIN leak: recycled, but the
        # interval straddles 90%.
        with self.assertRaises(leakprov.LeakprovError, msg="expect=recycled of an uncertain recycled sample") as cm:
            leakprov.score(CATALOG, sample("in"), sample=100, seed=1, expect="recycled")
        e = cm.exception
        self.assertEqual(e.returncode, 1, "exit status of an uncertain expect=")
        self.assertIs(e.report["verdict_certain"], False, "verdict_certain of the kept report")
        r = leakprov.score(CATALOG, sample("in"), sample=100, seed=1, expect="recycled", expect_uncertain_ok=True)
        self.assertEqual(r["verdict"], "recycled", "expect_uncertain_ok=True accepts it")

    def test_cli_option_and_path_lookup(self):
        r = leakprov.score(CATALOG, sample("rp"), cli=[CLI])
        self.assertEqual(r["verdict"], "new", "cli=[binary]")
        d = self.tempdir()
        shutil.copy(CLI, os.path.join(d, "leakprov"))
        with mock.patch.dict(os.environ, {"PATH": d, _cli.ENV: ""}):
            r = leakprov.score(CATALOG, sample("rp"))
        self.assertEqual(r.argv[0], os.path.join(d, "leakprov"), "leakprov found on PATH")

    @unittest.skipIf(shutil.which("go") is None, "no go command for LEAKPROV='go run'")
    def test_go_run(self):
        with mock.patch.dict(os.environ, {_cli.ENV: "go run"}):
            r = leakprov.score(CATALOG, sample("rp"))
        self.assertEqual(r["verdict"], "new", "LEAKPROV='go run' in this checkout")
        self.assertEqual(_cli._command(f"go run {REPO}"), r.argv[:1], "the checkout is built once")


class TestSourcesFrame(CLITest):

    def setUp(self):
        super().setUp()
        self.report = leakprov.score(CATALOG, sample("ua"), schema="diia-driver-licence")

    def test_without_pandas(self):
        with mock.patch.object(_report, "_import_pandas", return_value=None):
            table = self.report.sources_frame()
        self.assertIsInstance(table, list, "sources_frame() without pandas")
        self.assertEqual([t["name"] for t in table], [s["name"] for s in self.report["sources"]],
                         "one row per source, in the report's order")
        first, src = table[0], self.report["sources"][0]
        for part in ("records", "joint", "exclusive"):
            for bound in ("estimate", "low", "high"):
                self.assertEqual(first[f"{part}_{bound}"], src[part][bound], f"{part}_{bound} of {src['name']}")
        self.assertEqual(first["fields_phone_chance"], src["fields"]["phone"]["chance"], "fields_phone_chance")
        self.assertNotIn("records", first, "nested intervals are flattened")
        self.assertEqual(len({tuple(t) for t in table}), 1, "every row has the same columns")

    def test_missing_keys_are_none(self):
        r = leakprov.Report({"sources": [{"name": "a", "fields": {"phone": {"estimate": 0.5}}}, {"name": "b"}]})
        with mock.patch.object(_report, "_import_pandas", return_value=None):
            table = r.sources_frame()
        self.assertEqual(table, [{"name": "a", "fields_phone_estimate": 0.5}, {"name": "b", "fields_phone_estimate": None}],
                         "a key one source lacks is None")

    @unittest.skipUnless(has_pandas(), "pandas is not installed")
    def test_with_pandas(self):
        import pandas as pd
        df = self.report.sources_frame()
        self.assertIsInstance(df, pd.DataFrame, "sources_frame() with pandas")
        self.assertEqual(list(df["name"]), [s["name"] for s in self.report["sources"]], "names in the report's order")
        self.assertAlmostEqual(df.loc[0, "records_high"], self.report["sources"][0]["records"]["high"],
                               msg="records_high of the first source")
        plain = pd.json_normalize(self.report["sources"], sep="_")
        self.assertEqual(sorted(df.columns), sorted(plain.columns), "the columns of pd.json_normalize(sep='_')")
        self.assertTrue(df.equals(plain[list(df.columns)]), "the frame of pd.json_normalize(report['sources'], sep='_')")


class TestRowsFrame(CLITest):

    def test_rows(self):
        self.need_rows()
        r = leakprov.score(CATALOG, sample("ua"), rows=True)
        with mock.patch.object(_report, "_import_pandas", return_value=None):
            rows = r.rows_frame()
        self.assertEqual(len(rows), r["sample"]["records"], "one row per sample record")
        self.assertEqual(list(rows[0]), list(_report.ROW_COLUMNS), "columns of the rows")
        self.assertEqual([x["row"] for x in rows], list(range(1, len(rows) + 1)), "rows numbered from 1")
        self.assertEqual({x["member"] for x in rows}, {sample("ua")}, "member of every row")
        self.assertLessEqual({x["status"] for x in rows}, {"matched", "unmatched", "unidentified"}, "statuses")
        with open(os.path.join(REPO, "testdata", "ua", "rows.csv"), encoding="utf-8", newline="") as f:
            want = list(csv.DictReader(f))
        agree = sum(g["status"] == w["status"] for g, w in zip(rows, want))
        self.assertGreaterEqual(agree, 0.99 * len(want), "statuses agree with testdata/ua/rows.csv")
        self.assertIsNone(r.rows_path, "rows=True keeps no file")

    def test_rows_file_kept_and_values(self):
        self.need_rows()
        path = os.path.join(self.tempdir(), "rows.csv")
        r = leakprov.score(CATALOG, sample("kz"), rows=path, show_values=True)
        self.assertEqual(r.rows_path, path, "rows=FILE is kept")
        self.assertTrue(os.path.exists(path), "the rows file exists after score()")
        self.assertGreater(len(r.rows[0]), len(_report.ROW_COLUMNS), "show_values=True appends the fields")
        self.assertEqual(r.rows, _report.read_rows(path), "rows as read back")
        with self.assertRaises(leakprov.LeakprovError, msg="rows=FILE that exists, without force") as cm:
            leakprov.score(CATALOG, sample("kz"), rows=path)
        self.assertEqual(cm.exception.returncode, 2, "exit status of an existing rows file")
        r = leakprov.score(CATALOG, sample("kz"), rows=path, force=True)
        self.assertEqual(len(r.rows), 500, "force=True replaces the rows file")

    def test_no_rows(self):
        r = leakprov.score(CATALOG, sample("rp"))
        with self.assertRaises(ValueError, msg="rows_frame() of a report scored without rows"):
            r.rows_frame()

    @unittest.skipUnless(has_pandas(), "pandas is not installed")
    def test_with_pandas(self):
        self.need_rows()
        import pandas as pd
        df = leakprov.score(CATALOG, sample("in"), rows=True).rows_frame()
        self.assertIsInstance(df, pd.DataFrame, "rows_frame() with pandas")
        self.assertEqual(list(df.columns), list(_report.ROW_COLUMNS), "columns of the rows frame")
        self.assertEqual(len(df), 1500, "one row per record of testdata/in")
        self.assertEqual(df["row"].dtype.kind, "i", "row is an integer column")


class TestReadRows(unittest.TestCase):
    """The rows CSV reader on written files."""

    def write(self, text):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        p = os.path.join(d, "rows.csv")
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return p

    def test_repeated_columns_and_quotes(self):
        p = self.write('row,member,status,sources,joint_sources,kinds,status,status\r\n'
                       '7,"a.zip!x.csv",matched,"b;c",b,phone,"x, y",z\r\n')
        self.assertEqual(_report.read_rows(p), [{"row": 7, "member": "a.zip!x.csv", "status": "matched", "sources": "b;c",
                                                 "joint_sources": "b", "kinds": "phone", "status.1": "x, y", "status.2": "z"}],
                         "rows with quoted cells and repeated column names")

    def test_bad_files(self):
        cases = {
            "": "empty rows file",
            "a,b\n1,2\n": "not a rows file",
            "row,member,status,sources,joint_sources,kinds\n1,m,matched\n": "line 2: 3 cells",
            "row,member,status,sources,joint_sources,kinds\nx,m,matched,,,\n": "line 2: row 'x'",
        }
        for text, want in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(ValueError, msg=f"rows file {text!r}") as cm:
                    _report.read_rows(self.write(text))
                self.assertIn(want, str(cm.exception), f"error for {text!r}")

    def test_load(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        p = os.path.join(d, "report.json")
        with open(p, "w", encoding="utf-8") as f:
            json.dump({"report_version": 1, "sources": [{"name": "s", "records": {"estimate": 0.5, "low": 0.4, "high": 0.6}}]}, f)
        rows = self.write("row,member,status,sources,joint_sources,kinds\n1,m,unmatched,,,\n")
        r = leakprov.load(p, rows=rows)
        self.assertEqual(r["report_version"], 1, "load() reads the JSON")
        with mock.patch.object(_report, "_import_pandas", return_value=None):
            self.assertEqual(r.sources_frame(), [{"name": "s", "records_estimate": 0.5, "records_low": 0.4, "records_high": 0.6}],
                             "sources_frame() of a loaded report")
            self.assertEqual(r.rows_frame(), [{"row": 1, "member": "m", "status": "unmatched", "sources": "",
                                               "joint_sources": "", "kinds": ""}], "rows_frame() of a loaded report")


if __name__ == "__main__":
    unittest.main()

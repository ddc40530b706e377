#!/usr/bin/python3
"""Unit tests of runner/coverage.py: a subtest that passed in no
configuration fails the check unless exempt, with the reason; exemptions
must name real subtests. The test binary is a shell script that lists
subtests as IGT's --list-subtests does."""

import contextlib
import io
import json
import os
import stat
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import coverage  # noqa: E402


class Coverage(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.bin = os.path.join(self.dir, "fake_test")
        with open(self.bin, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\nprintf 'swap-cycle\\nover-ram\\nno-swap\\n'\n")
        os.chmod(self.bin, stat.S_IRWXU)
        self.results = os.path.join(self.dir, "results")
        os.mkdir(self.results)

    def tearDown(self):
        self.tmp.cleanup()

    def config(self, name, results, rc=0):
        os.mkdir(os.path.join(self.results, name))
        tests = {f"igt@fake_test@{k}": {"result": v} for k, v in results.items()}
        with open(os.path.join(self.results, name, "results.json"), "w", encoding="utf-8") as f:
            json.dump({"tests": tests}, f)
        with open(os.path.join(self.results, "matrix.tsv"), "a", encoding="utf-8") as f:
            f.write(f"{name}\t{rc}\tas expected\n")

    def exempt(self, text):
        path = os.path.join(self.dir, "exempt.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def run_main(self, *extra):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = coverage.main(["--results-dir", self.results, *extra, self.bin])
        return rc, out.getvalue()

    def test_every_subtest_passed_somewhere(self):
        self.config("swap", {"swap-cycle": "pass", "over-ram": "skip", "no-swap": "skip"})
        self.config("noswap", {"swap-cycle": "skip", "over-ram": "pass", "no-swap": "pass"})
        rc, out = self.run_main()
        self.assertEqual(rc, 0, out)
        self.assertIn("each of 3 subtests passed somewhere", out)
        self.assertRegex(out, r"igt@fake_test@over-ram +1 +1  noswap / swap")

    def test_a_subtest_skipped_everywhere_fails_and_is_named(self):
        self.config("swap", {"swap-cycle": "pass", "over-ram": "skip", "no-swap": "skip"})
        self.config("noswap", {"swap-cycle": "skip", "over-ram": "skip", "no-swap": "pass"})
        rc, out = self.run_main()
        self.assertEqual(rc, 1, out)
        self.assertIn("1 subtest(s) passed in no configuration: igt@fake_test@over-ram", out)
        self.assertRegex(out, r"over-ram .*PASSED NOWHERE")

    def test_expected_failures_are_no_pass(self):
        self.config("fault", {"swap-cycle": "fail", "over-ram": "pass", "no-swap": "pass"})
        rc, out = self.run_main()
        self.assertEqual(rc, 1, out)
        self.assertIn("fault (fail)", out)

    def test_a_configuration_without_results_exercises_nothing(self):
        self.config("swap", {"swap-cycle": "pass", "over-ram": "pass", "no-swap": "pass"})
        with open(os.path.join(self.results, "matrix.tsv"), "a", encoding="utf-8") as f:
            f.write("broken\t3\tthe VM failed\n")
        rc, out = self.run_main()
        self.assertEqual(rc, 0, out)
        self.assertIn("in 2 configurations", out)

    def test_exempt_subtest_with_its_reason(self):
        self.config("swap", {"swap-cycle": "pass", "over-ram": "pass", "no-swap": "skip"})
        rc, out = self.run_main("--exempt", self.exempt(
            "# comment\nigt@fake_test@no-swap  # needs a machine without swap\n"))
        self.assertEqual(rc, 0, out)
        self.assertIn("passes nowhere here: needs a machine without swap", out)

    def test_exemption_of_no_subtest_is_bad_input(self):
        self.config("swap", {"swap-cycle": "pass", "over-ram": "pass", "no-swap": "pass"})
        rc, out = self.run_main("--exempt", self.exempt("igt@fake_test@no-such  # typo\n"))
        self.assertEqual(rc, 2)
        self.assertIn("exempt.txt:1: 'igt@fake_test@no-such' is no subtest", out)

    def test_exemption_without_reason_is_bad_input(self):
        self.config("swap", {"swap-cycle": "pass"})
        rc, out = self.run_main("--exempt", self.exempt("igt@fake_test@no-swap\n"))
        self.assertEqual(rc, 2)
        self.assertIn("exempt.txt:1: expected 'igt@binary@subtest  # reason'", out)

    def test_missing_results_dir_is_bad_input(self):
        os.rmdir(self.results)
        rc, out = self.run_main()
        self.assertEqual(rc, 2)
        self.assertIn("no such results directory", out)


if __name__ == "__main__":
    unittest.main()

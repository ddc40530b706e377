#!/usr/bin/python3
"""Unit tests of runner/results.py: expectations, benign dmesg, taint,
the whole run's dmesg, module unload, the driver's counters and the
verdict. Data in data/: vxe-stats-pass.txt and dmesg-task-dump.txt were
saved by real VM runs; dmesg-warn.txt and dmesg-benign.txt are made up in
the kernel's format."""

import json
import os
import sys
import tempfile
import unittest
import contextlib
import io

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import results  # noqa: E402

BENIGN_FILE = os.path.join(os.path.dirname(HERE), "expectations", "benign-dmesg.txt")
STATS_RULES = results.load_stats_rules()


def data(name):
    with open(os.path.join(HERE, "data", name), encoding="utf-8") as f:
        return f.read()


class Taint(unittest.TestCase):
    def test_letters(self):
        self.assertEqual(results.taint_letters(0), "none")
        self.assertEqual(results.taint_letters(12288), "OE")
        self.assertEqual(results.taint_letters(512 | 128), "DW")
        self.assertEqual(results.taint_letters(1 << 25), "bit25")

    def test_clean_kernel(self):
        notes, problems = results.judge_taint("0\n", 0)
        self.assertEqual(problems, [])
        self.assertIn("0 (none)", notes[0])

    def test_out_of_tree_allowed_only_with_a_module(self):
        self.assertEqual(results.judge_taint("12288", results.TAINT_OUT_OF_TREE)[1], [])
        problems = results.judge_taint("12288", 0)[1]
        self.assertEqual(len(problems), 1)
        self.assertIn("not allowed: 12288 (OE)", problems[0])

    def test_warn_fails_even_with_a_module(self):
        problems = results.judge_taint(str(12288 | 512), results.TAINT_OUT_OF_TREE)[1]
        self.assertIn("not allowed: 512 (W)", problems[0])

    def test_not_reported(self):
        self.assertIn("did not report", results.judge_taint(None, 0)[1][0])


class Dmesg(unittest.TestCase):
    def setUp(self):
        self.benign = results.load_benign(BENIGN_FILE)

    def test_warn_splat_fails_and_names_the_message(self):
        problems = results.judge_dmesg(data("dmesg-warn.txt"), self.benign)
        self.assertEqual(len(problems), 1)
        self.assertIn("2 WARN/BUG/Oops line(s)", problems[0])
        self.assertIn("first: WARNING: CPU: 0 PID: 231 at drivers/vxe", problems[0])

    def test_task_dump_alone_is_no_problem(self):
        self.assertEqual(results.judge_dmesg(data("dmesg-task-dump.txt"), self.benign), [])

    def test_host_timing_noise_is_no_problem(self):
        self.assertEqual(results.judge_dmesg(data("dmesg-benign.txt"), self.benign), [])

    def test_benign_list_applies_to_the_whole_run_too(self):
        text = "[ 1.0] WARNING: CPU: 0 PID: 1 at kernel/time/clocksource.c:1 watchdog\n"
        self.assertEqual(len(results.judge_dmesg(text, [])), 1)
        benign = results.parse_benign("# comment\nat kernel/time/clocksource\\.c:[0-9]+\n")
        self.assertEqual(results.judge_dmesg(text, benign), [])

    def test_one_regex_dialect(self):
        # The list is Python re: \d and (?:...) work, as they would not in grep -E.
        benign = results.parse_benign(r"hrtimer: interrupt took \d+ ns(?: \(.*\))?")
        self.assertTrue(results.is_benign("hrtimer: interrupt took 12 ns", benign))


class EffectiveResult(unittest.TestCase):
    def setUp(self):
        self.benign = results.load_benign(BENIGN_FILE)

    def entry(self, result, lines):
        return {"result": result, "dmesg": "\n".join(lines)}

    def test_noise_only_dmesg_warn_is_a_pass(self):
        e = self.entry("dmesg-warn", ["<6> [1.0] [IGT] x: executing",
                                      "<4> [2.0] hrtimer: interrupt took 123 ns"])
        self.assertEqual(results.effective_result(e, self.benign)[0], "pass")

    def test_noise_only_dmesg_fail_is_a_fail(self):
        e = self.entry("dmesg-fail", ["<4> [2.0] hrtimer: interrupt took 123 ns"])
        self.assertEqual(results.effective_result(e, self.benign)[0], "fail")

    def test_real_warning_stays(self):
        e = self.entry("dmesg-warn", ["<4> [2.0] hrtimer: interrupt took 123 ns",
                                      "<4> [2.1] WARNING: CPU: 0 PID: 1 at mm/x.c:1"])
        self.assertEqual(results.effective_result(e, self.benign)[0], "dmesg-warn")


class Unload(unittest.TestCase):
    def test_states(self):
        self.assertEqual(results.judge_unload("vxe", "ok\n")[1], [])
        self.assertIn("Device or resource busy",
                      results.judge_unload("vxe", "failed: rmmod: Device or resource busy")[1][0])
        self.assertIn("not attempted", results.judge_unload("vxe", None)[1][0])


PASSED_ALL = ["igt@ttm_swap_thp@swap-cycle", "igt@ttm_swap_thp@pressure",
              "igt@ttm_swap_thp@low-memory", "igt@ttm_swap_thp@thp-control"]


class Stats(unittest.TestCase):
    def setUp(self):
        self.good = results.parse_stats(data("vxe-stats-pass.txt"))

    def judge(self, stats, passed=PASSED_ALL):
        return results.judge_stats("vxe-stats.txt", stats, passed, STATS_RULES)

    def test_real_passing_run_agrees(self):
        self.assertEqual(self.good["kswapd_scans"], 104)
        self.assertEqual(self.judge(self.good), [])

    def test_scan_disabled_fails(self):
        # A shrinker whose scan does nothing: no backup, no restore.
        stats = dict(self.good, backups=0, backup_pages=0, reclaim_backups=0, restores=0,
                     restored_pages=0, kswapd_scans=104)
        problems = self.judge(stats)
        self.assertTrue(any("backups = 0 although igt@ttm_swap_thp@low-memory" in p
                            for p in problems), problems)
        self.assertTrue(any("restores = 0" in p for p in problems), problems)

    def test_drop_caches_only_fails_pressure(self):
        # A shrinker that works only for drop_caches: never from kswapd.
        stats = dict(self.good, kswapd_scans=0, reclaim_backups=0)
        problems = self.judge(stats)
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("kswapd_scans = 0", problems[0])
        self.assertIn("igt@ttm_swap_thp@low-memory and 1 more passed", problems[0])

    def test_refusing_kswapd_scans_fail(self):
        # kswapd calls the scan, which refuses outside drop_caches: scans, no backups.
        stats = dict(self.good, reclaim_backups=0)
        problems = self.judge(stats, ["igt@ttm_swap_thp@reclaim"])
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("reclaim_backups = 0 although igt@ttm_swap_thp@reclaim passed", problems[0])

    def test_writeback_is_not_required(self):
        # xe writes back only when the passes without writeback fell short.
        self.assertEqual(self.judge(dict(self.good, writeback_backups=0)), [])

    def test_drop_caches_only_is_fine_when_pressure_did_not_pass(self):
        stats = dict(self.good, kswapd_scans=0, reclaim_backups=0)
        passed = ["igt@ttm_swap_thp@swap-cycle"]
        self.assertEqual(self.judge(stats, passed), [])

    def test_no_swapping_subtest_passed_needs_nothing(self):
        stats = dict(self.good, backups=0, restores=0, kswapd_scans=0, reclaim_backups=0)
        self.assertEqual(self.judge(stats, ["igt@ttm_swap_thp@no-swap"]), [])

    def test_xe_names_match_too(self):
        stats = dict(self.good, kswapd_scans=0, reclaim_backups=0)
        problems = self.judge(stats, ["igt@xe_evict_shrink@system-pressure-wc"])
        self.assertEqual(len(problems), 2, problems)

    def test_missing_counter_cannot_pass(self):
        stats = dict(self.good)
        del stats["kswapd_scans"]
        problems = self.judge(stats)
        self.assertEqual(problems, ["vxe-stats.txt: no 'kswapd_scans' counter, needed to judge "
                                    "igt@ttm_swap_thp@low-memory"])

    def test_vram_without_eviction_fails(self):
        # Discrete vxe whose VRAM took everything (or a vram subtest that
        # evicted nothing): the vram-evict subtests cannot have shown eviction.
        stats = dict(self.good, vram_evictions=0, vram_evicted_pages=0)
        problems = self.judge(stats, ["igt@xe_evict_shrink@vram-evict-reclaim"])
        self.assertEqual(problems, ["vxe-stats.txt: vram_evictions = 0 although "
                                    "igt@xe_evict_shrink@vram-evict-reclaim passed: no BO was "
                                    "ever evicted from VRAM: nothing went beyond it"])
        self.assertEqual(self.judge(dict(stats, vram_evictions=2),
                                    ["igt@xe_evict_shrink@vram-evict-reclaim"]), [])

    def test_vram_counter_needed_for_vram_subtests(self):
        # Integrated vxe prints no vram_* counters: a vram subtest passing
        # there is a problem, the others are judged as before.
        problems = self.judge(self.good, ["igt@xe_evict_shrink@vram-evict-drop-caches"])
        self.assertIn("no 'vram_evictions' counter", problems[0])
        self.assertEqual(self.judge(self.good), [])

    def test_vram_left_in_use_fails(self):
        problems = self.judge(dict(self.good, vram_used_pages=16))
        self.assertEqual(problems, ["vxe-stats.txt: vram_used_pages = 16 after every client "
                                    "closed (expected 0: left behind)"])

    def test_left_behind_fails(self):
        problems = self.judge(dict(self.good, bos=2, backed_up_pages=512))
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("bos = 2 after every client closed", problems[0])


class StatsRulesFile(unittest.TestCase):
    """runner/expectations/vxe-stats-rules.txt and its line format."""

    def parse(self, text):
        return results.parse_stats_rules(text, "rules.txt")

    def test_shipped_file_loads(self):
        self.assertEqual([c for _, c, _ in STATS_RULES.nonzero],
                         ["backups", "restores", "kswapd_scans", "reclaim_backups",
                          "vram_evictions", "backups"])
        self.assertEqual(STATS_RULES.at_rest,
                         ["bos", "shrinkable_pages", "backed_up_pages", "vram_used_pages"])
        globs, _, why = STATS_RULES.nonzero[3]
        # $pressure brought the pressure set's globs into the reclaim set.
        self.assertEqual(globs[:2], ("*pressure*", "*@low-memory"))
        self.assertIn("*@system-reclaim*", globs)
        self.assertIn("only by drop_caches", why)

    def test_sets_rules_and_comments(self):
        rules = self.parse("# header\n\nset a  *@x *@y  # two\nset b $a *@z\n"
                           "nonzero n b  # none at all\nzero-at-rest g\n")
        self.assertEqual(rules.nonzero, [(("*@x", "*@y", "*@z"), "n", "none at all")])
        self.assertEqual(rules.at_rest, ["g"])

    def assert_bad(self, text, line, words):
        with self.assertRaises(results.BadInput) as cm:
            self.parse(text)
        self.assertIn(f"rules.txt:{line}: ", str(cm.exception))
        self.assertIn(words, str(cm.exception))

    def test_malformed_lines_name_file_and_line(self):
        self.assert_bad("set a *@x\nabove0 n a  # why\n", 2, "expected 'set NAME GLOB...'")
        self.assert_bad("set a\n", 1, "expected 'set NAME GLOB...'")
        self.assert_bad("nonzero n a  # why\n", 1, "no set a defined above")
        self.assert_bad("set a *@x\nset b $c\n", 2, "no set c defined above")
        self.assert_bad("set a *@x\n\nnonzero n a\n", 3, "needs '# reason'")
        self.assert_bad("zero-at-rest g h\n", 1, "'zero-at-rest GAUGE'")


class PassOrSkip(unittest.TestCase):
    """pass|skip /REGEX/: a pass, or a skip for that reason; nothing else."""

    RULE = ("igt@t@pressure  pass|skip  /could not touch its \\d+ MiB/"
            "  # loaded host\n")
    SKIP_LOAD = ("Test requirement not met in function test_pressure\n"
                 "the pressure child could not touch its 300 MiB in 50 s on this machine\n")

    def rules(self, text=RULE):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(text)
            f.flush()
            return results.load_expectations(f.name)

    def judge(self, result, out=""):
        tests = {"igt@t@pressure": {"result": result, "out": out}}
        rows, _ = results.compare(tests, self.rules(), False, [])
        return rows[0]

    def test_pass_is_ok(self):
        self.assertTrue(self.judge("pass")[5])

    def test_skip_for_the_reason_is_ok_and_says_so(self):
        row = self.judge("skip", self.SKIP_LOAD)
        self.assertTrue(row[5])
        self.assertIn("skip accepted", row[3])

    def test_other_skip_is_unexpected(self):
        row = self.judge("skip", "Test requirement not met\nno swap active\n")
        self.assertFalse(row[5])
        self.assertIn("skip not accepted", row[3])
        lines = results.verdict_lines([row], [], "c", [], "x.txt", False)
        self.assertIn("unexpected: igt@t@pressure: expected pass|skip, got skip (skip not "
                      "accepted: its output does not match /could not touch its \\d+ MiB/)",
                      lines)

    def test_failures_are_unexpected(self):
        for r in ("fail", "timeout", "crash", "incomplete", "dmesg-warn", "notrun"):
            self.assertFalse(self.judge(r, self.SKIP_LOAD)[5], r)

    def test_regex_required(self):
        for bad in ("igt@a@b  pass|skip\n", "igt@a@b  pass|skip  loaded\n",
                    "igt@a@b  pass|skip  /(/\n", "igt@a@b  pass  /x/\n"):
            with self.assertRaises(results.BadInput, msg=bad):
                self.rules(bad)


class SkipForReason(unittest.TestCase):
    """skip /REGEX/: only a skip for that reason; a pass is unexpected too."""

    RULE = "igt@t@pressure  skip  /free swap too small/  # 96 MiB swap\n"
    SKIP_SWAP = ("Test requirement not met in function pressure_bytes\n"
                 "free swap too small to apply pressure: the hog may use 400 MiB\n")

    def judge(self, result, out=""):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(self.RULE)
            f.flush()
            rules = results.load_expectations(f.name)
        tests = {"igt@t@pressure": {"result": result, "out": out}}
        rows, _ = results.compare(tests, rules, False, [])
        return rows[0]

    def test_skip_for_the_reason_is_ok(self):
        row = self.judge("skip", self.SKIP_SWAP)
        self.assertTrue(row[5])
        self.assertIn("skip accepted", row[3])

    def test_pass_and_other_skips_are_unexpected(self):
        self.assertFalse(self.judge("pass", self.SKIP_SWAP)[5])
        row = self.judge("skip", "Test requirement not met\nno swap active\n")
        self.assertFalse(row[5])
        lines = results.verdict_lines([row], [], "c", [], "x.txt", False)
        self.assertIn("unexpected: igt@t@pressure: expected skip, got skip (skip not "
                      "accepted: its output does not match /free swap too small/)", lines)

    def test_failures_are_unexpected(self):
        for r in ("fail", "timeout", "crash"):
            self.assertFalse(self.judge(r, self.SKIP_SWAP)[5], r)


class Expectations(unittest.TestCase):
    def test_dev_null_is_empty(self):
        self.assertEqual(results.load_expectations(os.devnull), [])

    def test_absent_file(self):
        self.assertIsNone(results.load_expectations("/nonexistent/x.txt"))

    def test_bad_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("igt@a@b  maybe\n")
            f.flush()
            with self.assertRaises(results.BadInput):
                results.load_expectations(f.name)

    def test_missing_file_is_said_where_the_failure_is(self):
        rows = [("igt@a@b", "skip", "pass", "", 0.0, False)]
        lines = results.verdict_lines(rows, [], "c", [], "x/sid-vxe.txt", True)
        self.assertIn("note: no expectation file x/sid-vxe.txt: every subtest must pass", lines)
        self.assertIn("judged without an expectation file (x/sid-vxe.txt does not exist)",
                      lines[-1])


class Main(unittest.TestCase):
    """results.py as igt-vm calls it, over a results directory."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        tests = {
            "igt@ttm_swap_thp@pressure": {"result": "pass", "time": {"start": 0, "end": 9}},
            "igt@ttm_swap_thp@no-swap": {"result": "skip", "time": {"start": 0, "end": 0}},
            "igt@dumb_buffer@create-valid-dumb": {"result": "pass"},
        }
        with open(self.path("results.json"), "w") as f:
            json.dump({"tests": tests}, f)
        self.write("expect.txt", "igt@ttm_swap_thp@no-swap skip  # swap on\n")
        self.write("tainted", "12288\n")
        self.write("dmesg.txt", data("dmesg-benign.txt"))
        self.write("vxe-unload", "ok\n")
        self.write("vxe-stats.txt", data("vxe-stats-pass.txt"))

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)

    def run_main(self, *extra):
        argv = ["--results", self.path("results.json"), "--expect", self.path("expect.txt"),
                "--guest-dir", self.dir, "--module", "vxe", "--benign-dmesg", BENIGN_FILE,
                "--reference", "dumb_buffer", "--junit", self.path("junit.xml"), *extra]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = results.main(argv)
        return rc, out.getvalue()

    def test_good_run(self):
        rc, out = self.run_main()
        self.assertEqual(rc, 0, out)
        self.assertIn("verdict vm: OK (3 subtests as expected)", out)

    def test_driver_counters_fail_the_run(self):
        self.write("vxe-stats.txt", data("vxe-stats-pass.txt").replace(
            "kswapd_scans 104", "kswapd_scans 0"))
        rc, out = self.run_main()
        self.assertEqual(rc, 1, out)
        self.assertIn("kswapd_scans = 0 although igt@ttm_swap_thp@pressure passed", out)
        with open(self.path("junit.xml")) as f:
            self.assertIn("kswapd_scans = 0", f.read())

    def test_missing_counters_fail_the_run(self):
        os.remove(self.path("vxe-stats.txt"))
        rc, out = self.run_main()
        self.assertEqual(rc, 1)
        self.assertIn("vxe-stats.txt: the guest saved no counters for vxe", out)

    def test_warn_in_dmesg_fails(self):
        self.write("dmesg.txt", data("dmesg-warn.txt"))
        self.assertEqual(self.run_main()[0], 1)

    def test_taint_without_module_fails(self):
        os.remove(self.path("vxe-stats.txt"))
        argv = ["--results", self.path("results.json"), "--expect", self.path("expect.txt"),
                "--guest-dir", self.dir]
        with contextlib.redirect_stdout(io.StringIO()) as out:
            rc = results.main(argv)
        self.assertEqual(rc, 1)
        self.assertIn("not allowed: 12288 (OE)", out.getvalue())

    def test_tcg_speed_figures_are_labelled(self):
        with open(self.path("results.json")) as f:
            doc = json.load(f)
        doc["tests"]["igt@ttm_swap_thp@pressure"]["out"] = "fill 150 MiB/s (12% of memset)\n"
        with open(self.path("results.json"), "w") as f:
            json.dump(doc, f)
        rc, out = self.run_main("--accel", "tcg")
        self.assertEqual(rc, 0, out)
        self.assertIn("come from TCG", out)
        with open(self.path("junit.xml")) as f:
            self.assertIn("under TCG: the speed figures below are the emulator's", f.read())

    def run_split(self, *extra):
        """main with the summary and igt-vm's stderr lines apart."""
        argv = ["--results", self.path("results.json"), "--expect", self.path("expect.txt"),
                "--guest-dir", self.dir, "--module", "vxe", "--benign-dmesg", BENIGN_FILE,
                "--summary", self.path("summary.txt"), "--junit", self.path("junit.xml"),
                *extra]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = results.main(argv)
        return rc, out.getvalue(), err.getvalue()

    def test_vm_failed_without_results(self):
        os.remove(self.path("results.json"))
        self.write("console.log", "".join(f"line {i}\n" for i in range(40)))
        self.write("qemu-stderr.txt", "qemu: terminating on signal 15\n")
        rc, out, err = self.run_split("--guest-status", "stalled")
        self.assertEqual(rc, 3, out + err)
        self.assertIn("unexpected: vm: no progress for --stall-timeout seconds", out)
        self.assertIn("verdict vm: FAIL (the VM failed: no progress", out)
        self.assertIn("[igt-vm] VM failed: no progress", err)
        self.assertIn("[igt-vm] qemu: qemu: terminating on signal 15", err)
        # The last 30 console lines, and where the whole log is.
        self.assertIn("[igt-vm]     line 39\n", err)
        self.assertIn("[igt-vm]     line 10\n", err)
        self.assertNotIn("line 9\n", err)
        self.assertIn("console log: " + self.path("console.log"), err)
        with open(self.path("summary.txt")) as f:
            self.assertEqual(f.read(), out)
        with open(self.path("junit.xml")) as f:
            self.assertIn('name="vm: the guest ran to its end"', f.read())

    def test_vm_failed_with_results_judges_them_and_is_exit_3(self):
        rc, out, err = self.run_split("--guest-status", "8")
        self.assertEqual(rc, 3, out + err)
        self.assertIn("igt@ttm_swap_thp@pressure", out)
        self.assertIn("verdict vm: FAIL (the VM failed: vxe.ko did not load", out)
        self.assertNotIn("console log:", err)

    def test_vm_failure_wins_over_a_bad_expectation_file(self):
        self.write("expect.txt", "igt@ttm_swap_thp@no-swap sometimes\n")
        rc, _, err = self.run_split("--guest-status", "timeout")
        self.assertEqual(rc, 3)
        self.assertIn("[igt-vm] VM failed: host-side timeout", err)
        self.assertIn("expect.txt:1:", err)

    def test_missing_results_of_a_finished_guest_is_bad_input(self):
        os.remove(self.path("results.json"))
        rc, _, err = self.run_split()
        self.assertEqual(rc, 2)
        self.assertIn("results.json", err)

    def test_skipped_run_is_exit_0_and_says_why(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = results.main(["--summary", self.path("summary.txt"),
                               "--skipped", "vxe cannot run on 6.12.57: no ttm_bo_shrink()"])
        self.assertEqual(rc, 0)
        self.assertEqual(out.getvalue(), "skipped: vxe cannot run on 6.12.57: no ttm_bo_shrink()\n")
        with open(self.path("summary.txt")) as f:
            self.assertEqual(f.read(), out.getvalue())

    def test_guest_status_messages(self):
        self.assertEqual(results.guest_status_message("qemu-1"), "QEMU failed (exit status 1)")
        self.assertEqual(results.guest_status_message("7"), "guest reported status 7")
        self.assertIn("kernel panic", results.guest_status_message("nostatus"))

    def test_bad_stats_rules_file_is_exit_2(self):
        self.write("rules.txt", "set swapping *@swap-cycle*\nnonzero backups swaping  # x\n")
        rc, out = self.run_main("--stats-rules", self.path("rules.txt"))
        self.assertEqual(rc, 2, out)
        self.assertIn("rules.txt:2: nonzero backups: no set swaping defined above", out)

    def test_stats_rules_file_is_what_judges(self):
        self.write("rules.txt", "set all *\nnonzero no_such_counter all  # x\n")
        rc, out = self.run_main("--stats-rules", self.path("rules.txt"))
        self.assertEqual(rc, 1, out)
        self.assertIn("no 'no_such_counter' counter", out)

    def test_bad_expectation_file_is_exit_2(self):
        self.write("expect.txt", "igt@ttm_swap_thp@no-swap sometimes\n")
        rc, out = self.run_main()
        self.assertEqual(rc, 2)
        self.assertIn("expect.txt:1:", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""Unit tests of runner/timings.py on a console recorded from a
trixie-backports + vxe run (only its igtvm: and igt_runner progress lines)."""

import contextlib
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import timings  # noqa: E402

with open(os.path.join(HERE, "data", "console-vxe.log"), encoding="utf-8") as f:
    CONSOLE = f.read()


class Phases(unittest.TestCase):
    def test_phases_in_boot_order(self):
        phases, last = timings.split_phases(CONSOLE)
        names = [p for p, _ in phases]
        self.assertEqual(names, ["kernel boot", "initramfs and rootfs", "GPU driver", "swap",
                                 "vxe load", "library check", "igt_runner start", "subtests",
                                 "results and unload"])
        seconds = dict(phases)
        self.assertAlmostEqual(seconds["kernel boot"], 2.55)
        self.assertAlmostEqual(seconds["igt_runner start"], 6.555190 - 6.07, places=3)
        self.assertAlmostEqual(seconds["subtests"], 86.32 - 6.555190, places=3)
        self.assertAlmostEqual(last, 87.15)
        self.assertAlmostEqual(sum(seconds.values()), last)

    def test_missing_marks_fold_into_the_next_phase(self):
        console = "\n".join(l for l in CONSOLE.splitlines() if "vxe" not in l)
        phases, _ = timings.split_phases(console)
        self.assertNotIn("vxe load", dict(phases))
        self.assertAlmostEqual(dict(phases)["library check"], 6.07 - 5.10, places=3)

    def test_report_and_table(self):
        subtests = {"igt@ttm_swap_thp@low-memory": 20.0, "igt@ttm_swap_thp@pressure": 8.0}
        rows = dict(timings.run_report(CONSOLE, subtests, [("kernel_rootfs", 1.5)], 90.0))
        self.assertAlmostEqual(rows["subtests: in the tests"], 28.0)
        self.assertAlmostEqual(rows["firmware and power-off"], 90.0 - 87.15)
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "trixie-backports-vxe")
            os.mkdir(cfg)
            console = os.path.join(d, "console.log")
            with open(console, "w") as f:
                f.write(CONSOLE)
            with contextlib.redirect_stdout(io.StringIO()) as out:
                timings.main(["run", "--console", console, "--out", os.path.join(cfg, "timings.txt"),
                              "--setup", "kernel_rootfs=1.5", "--qemu-wall", "90", "--accel", "tcg"])
            self.assertIn("timing under TCG: setup kernel_rootfs 1.5 s; kernel boot 2.5 s",
                          out.getvalue())
            with contextlib.redirect_stdout(io.StringIO()) as out:
                timings.main(["table", cfg])
            row = out.getvalue().splitlines()[1].split()
            self.assertEqual(row[:3], ["trixie-backports-vxe", "tcg", "1.5"])
            self.assertEqual(row[-1], "90.0")


if __name__ == "__main__":
    unittest.main(verbosity=2)

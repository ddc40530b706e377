#!/usr/bin/python3
"""Unit tests of runner/accel.py's decision on recorded probe boots.

data/accel/ holds boots recorded on this project's host (QEMU 7.2, /dev/kvm
from kvm_pvm): tcg-ok (Debian 7.3.4 bzImage under TCG, to the no-root
panic), kvm-abort (-cpu max: MSR 0x10a), kvm-emulation-failure (-cpu
host,-arch-capabilities: shlx in the decompressor) and kvm-silent (the
uncompressed vmlinux by PVH: nothing printed). No KVM boot finished here,
so the slow, fast and stuck KVM cases reuse the recorded TCG console or a
first console line with other timings."""

import copy
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import accel  # noqa: E402


def recorded(name):
    return accel.load_record(os.path.join(HERE, "data", "accel", name))


def kvm_like(rec, seconds, cpu="host"):
    """A KVM boot that printed what the recorded one printed, in SECONDS."""
    r = copy.deepcopy(rec)
    r.update(accel="kvm", cpu=cpu, seconds=seconds, name=f"kvm-{seconds}")
    return r


class Classify(unittest.TestCase):
    def test_tcg_boot_reaches_the_known_line(self):
        state, detail = accel.classify(recorded("tcg-ok"))
        self.assertEqual(state, "ok")
        self.assertIn("2.7 s", detail)

    def test_msr_abort(self):
        state, detail = accel.classify(recorded("kvm-abort"))
        self.assertEqual(state, "abort")
        self.assertIn("failed to set MSR 0x10a", detail)

    def test_emulation_failure_names_the_instruction(self):
        state, detail = accel.classify(recorded("kvm-emulation-failure"))
        self.assertEqual(state, "emulation-failure")
        self.assertIn("<c4> 42 69 f7 c0", detail)

    def test_silent(self):
        state, detail = accel.classify(recorded("kvm-silent"))
        self.assertEqual(state, "silent")
        self.assertIn("within 25 s", detail)

    def test_stuck_names_the_last_line(self):
        r = recorded("kvm-silent")
        r["console"] = "Decompressing Linux... Parsing ELF... \n"
        state, detail = accel.classify(r)
        self.assertEqual(state, "stuck")
        self.assertIn("Decompressing Linux", detail)

    def test_exit_without_the_line(self):
        r = recorded("tcg-ok")
        r["console"] = "Linux version 7.3.4\n"
        self.assertEqual(accel.classify(r)[0], "no-line")


class Decide(unittest.TestCase):
    def setUp(self):
        self.tcg = recorded("tcg-ok")

    def test_this_host_picks_tcg_and_says_why(self):
        recs = [self.tcg, recorded("kvm-abort"), recorded("kvm-emulation-failure")]
        d = accel.decide(recs)
        self.assertEqual((d["accel"], d["cpu"]), ("tcg", "max"))
        self.assertIn("KVM does not boot the guest here", d["reason"])
        self.assertIn("MSR 0x10a", d["reason"])
        self.assertIn("emulation failure", d["reason"])

    def test_silent_kvm_loses(self):
        d = accel.decide([self.tcg, recorded("kvm-silent")])
        self.assertEqual(d["accel"], "tcg")
        self.assertIn("silent", d["reason"])

    def test_slow_kvm_loses(self):
        d = accel.decide([self.tcg, kvm_like(self.tcg, 40.0)])
        self.assertEqual(d["accel"], "tcg")
        self.assertIn("not faster: probe boot 40.0 s under KVM, 2.7 s under TCG", d["reason"])

    def test_tie_stays_tcg(self):
        self.assertEqual(accel.decide([self.tcg, kvm_like(self.tcg, 2.5)])["accel"], "tcg")

    def test_fast_kvm_wins_with_the_cpu_that_worked(self):
        recs = [self.tcg, recorded("kvm-abort"), kvm_like(self.tcg, 0.6, "host,-arch-capabilities")]
        d = accel.decide(recs)
        self.assertEqual((d["accel"], d["cpu"]), ("kvm", "host,-arch-capabilities"))
        self.assertIn("0.6 s, TCG in 2.7 s", d["reason"])

    def test_no_dev_kvm(self):
        d = accel.decide([self.tcg], kvm_usable=False)
        self.assertEqual(d, {"accel": "tcg", "cpu": "max", "reason": "no usable /dev/kvm"})

    def test_forced_modes(self):
        self.assertEqual(accel.decide([], "tcg")["accel"], "tcg")
        d = accel.decide([self.tcg, recorded("kvm-silent")], "kvm")
        self.assertEqual(d["accel"], "kvm")
        self.assertIn("warning: the probe failed", d["reason"])
        self.assertIn("not accessible", accel.decide([], "kvm", kvm_usable=False)["reason"])

    def test_forced_kvm_takes_the_cpu_qemu_accepted(self):
        recs = [self.tcg, recorded("kvm-abort"), recorded("kvm-emulation-failure")]
        d = accel.decide(recs, "kvm")
        self.assertEqual((d["accel"], d["cpu"]), ("kvm", "host,-arch-capabilities"))

    def test_cli(self):
        import contextlib
        import io
        out = io.StringIO()
        prefix = os.path.join(HERE, "data", "accel")
        with contextlib.redirect_stdout(out):
            rc = accel.main(["decide", f"{prefix}/tcg-ok", f"{prefix}/kvm-abort"])
        self.assertEqual(rc, 0)
        self.assertTrue(out.getvalue().startswith("accel tcg\ncpu max\nreason KVM does not boot"))


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""Pick QEMU's accelerator for igt-vm from timed probe boots.

runner/lib/accel.sh boots the guest's kernel without a root filesystem
under TCG and, when /dev/kvm is usable, under KVM: a working boot ends in
"Kernel panic - not syncing" (no root) within the probe's timeout. Each
boot leaves NAME.meta (accel, cpu, status, seconds, timed_out, timeout),
NAME.console (the serial console) and NAME.stderr (QEMU's). This file
holds the decision, a pure function of those records, so that every case
(KVM abort, emulation failure, silent, stuck, slow, fast) is unit-tested
on recorded outputs even on hosts where KVM cannot win.

  accel.py decide [--mode auto|kvm|tcg] RECORD...   prints accel, cpu, reason
  accel.py classify RECORD                           prints state and detail
"""

import argparse
import os
import sys

# What a kernel without a root filesystem prints last; it is at KERN_EMERG,
# so "quiet" does not hide it.
KNOWN_LINE = "Kernel panic - not syncing"
# KVM has to beat TCG by this factor to be chosen: a tie is not worth the
# less-tested path.
KVM_MIN_SPEEDUP = 1.2


def load_record(prefix):
    """Read PREFIX.meta, PREFIX.console and PREFIX.stderr into a dict."""
    rec = {"name": os.path.basename(prefix)}
    with open(prefix + ".meta", encoding="utf-8") as f:
        for line in f:
            key, _, value = line.strip().partition(" ")
            if key:
                rec[key] = value
    for part in ("console", "stderr"):
        try:
            with open(f"{prefix}.{part}", encoding="utf-8", errors="replace") as f:
                rec[part] = f.read()
        except FileNotFoundError:
            rec[part] = ""
    rec["seconds"] = float(rec.get("seconds", 0) or 0)
    rec["timed_out"] = rec.get("timed_out", "0") == "1"
    return rec


def first_line(text, *needles):
    for line in text.splitlines():
        if any(n in line for n in needles):
            return line.strip()
    return ""


def last_text_line(text):
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def classify(rec):
    """(state, detail) of one probe boot. state is one of: ok, abort,
    emulation-failure, silent, stuck, no-line."""
    stderr, console = rec.get("stderr", ""), rec.get("console", "")
    if "emulation failure" in stderr:
        code = first_line(stderr, "Code=")
        # The faulting instruction's bytes start at "<..>" in QEMU's dump.
        at = code.find("<")
        insn = code[at:].split()[:5] if at >= 0 else []
        return "emulation-failure", ("KVM internal error, emulation failure"
                                     + (f" at {' '.join(insn)}" if insn else ""))
    if KNOWN_LINE in console:
        return "ok", f"reached '{KNOWN_LINE}' in {rec['seconds']:.1f} s"
    if rec["timed_out"]:
        if not console.strip():
            return "silent", (f"no console output within {rec.get('timeout', '?')} s "
                              "(the guest runs, or crawls, without printing)")
        return "stuck", (f"still booting after {rec.get('timeout', '?')} s, last console line: "
                         f"'{last_text_line(console)}'")
    if str(rec.get("status", "0")) != "0":
        why = first_line(stderr, "error", "failed", "Could not", "could not") or last_text_line(stderr)
        return "abort", f"QEMU exited with status {rec.get('status')}: {why or 'no message'}"
    return "no-line", f"the guest stopped without printing '{KNOWN_LINE}'"


def decide(records, mode="auto", kvm_usable=True):
    """Return {accel, cpu, reason}. records: probe boots (dicts as from
    load_record); mode: auto, kvm or tcg; kvm_usable: /dev/kvm can be opened."""
    kvm = [r for r in records if r.get("accel") == "kvm"]
    tcg = [r for r in records if r.get("accel") == "tcg"]
    kvm_ok = [r for r in kvm if classify(r)[0] == "ok"]
    tcg_ok = [r for r in tcg if classify(r)[0] == "ok"]
    best_kvm = min(kvm_ok, key=lambda r: r["seconds"]) if kvm_ok else None
    # Forced KVM without a working probe: the CPU model QEMU did not refuse.
    started = [r for r in kvm if classify(r)[0] != "abort"]
    kvm_cpu = (best_kvm or (started[-1] if started else {})).get("cpu", "host")
    if mode == "tcg":
        return {"accel": "tcg", "cpu": "max", "reason": "--accel tcg"}
    if mode == "kvm":
        why = "--accel kvm"
        if not kvm_usable:
            why += " (warning: /dev/kvm is missing or not accessible: QEMU will fail)"
        elif kvm and not best_kvm:
            why += f" (warning: the probe failed: {describe(kvm)})"
        return {"accel": "kvm", "cpu": kvm_cpu, "reason": why}
    if not kvm_usable:
        return {"accel": "tcg", "cpu": "max", "reason": "no usable /dev/kvm"}
    if not best_kvm:
        return {"accel": "tcg", "cpu": "max",
                "reason": f"KVM does not boot the guest here: {describe(kvm) or 'not probed'}"}
    if not tcg_ok:
        return {"accel": "kvm", "cpu": kvm_cpu,
                "reason": f"KVM boots in {best_kvm['seconds']:.1f} s; TCG failed the probe "
                          f"({describe(tcg) or 'not probed'})"}
    t_tcg = min(r["seconds"] for r in tcg_ok)
    t_kvm = best_kvm["seconds"]
    if t_kvm * KVM_MIN_SPEEDUP <= t_tcg:
        return {"accel": "kvm", "cpu": kvm_cpu,
                "reason": f"KVM (-cpu {kvm_cpu}) boots the probe in {t_kvm:.1f} s, TCG in {t_tcg:.1f} s"}
    return {"accel": "tcg", "cpu": "max",
            "reason": f"KVM works but is not faster: probe boot {t_kvm:.1f} s under KVM, "
                      f"{t_tcg:.1f} s under TCG"}


def describe(records):
    """One line over the attempts, e.g. '-cpu host: abort (...); ...'."""
    parts = []
    for r in records:
        state, detail = classify(r)
        parts.append(f"-cpu {r.get('cpu', '?')}: {state}: {detail}")
    return "; ".join(parts)


def main(argv=None):
    ap = argparse.ArgumentParser(description="igt-vm accelerator decision")
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decide")
    d.add_argument("--mode", choices=("auto", "kvm", "tcg"), default="auto")
    d.add_argument("--no-kvm", action="store_true", help="/dev/kvm is not usable")
    d.add_argument("records", nargs="*", help="probe record prefixes (PREFIX.meta ...)")
    c = sub.add_parser("classify")
    c.add_argument("record")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "classify":
            print("%s: %s" % classify(load_record(args.record)))
            return 0
        records = [load_record(p) for p in args.records]
    except (OSError, ValueError) as err:
        print(f"accel.py: {err}", file=sys.stderr)
        return 2
    choice = decide(records, args.mode, not args.no_kvm)
    print(f"accel {choice['accel']}\ncpu {choice['cpu']}\nreason {choice['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

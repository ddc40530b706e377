#!/usr/bin/python3
"""Where the time of an igt-vm run goes.

  timings.py run --console console.log --results results.json --out timings.txt
                 [--setup NAME=SECONDS ...] [--qemu-wall S] [--accel NAME]
      Split one run into phases from the guest's own clock (the "(at X s)"
      of the guest scripts' igtvm: lines and igt_runner's "[X] [n/N]"
      progress lines), write them as "name seconds" lines and print one line.
  timings.py table DIR...
      One row per configuration directory holding a timings.txt.
"""

import argparse
import json
import os
import re
import sys

MARK = re.compile(r"^igtvm: (.*?)(?: \(at ([0-9.]+) s\)| at ([0-9.]+) s)\s*$")
PROGRESS = re.compile(r"^\[([0-9.]+)\] \[\d+/\d+\]")

# (phase, the igtvm: line that ends it), in boot order. A phase whose line
# is missing (no vxe, no swap) is left out and its time goes to the next.
PHASES = (
    ("kernel boot", "init started"),
    ("initramfs and rootfs", "userspace up"),
    ("GPU driver", "GPU driver"),
    ("swap", "swap on"),
    ("swap", "no swap"),
    ("vxe load", "vxe loaded"),
    ("library check", "starting igt_runner"),
    ("igt_runner start", None),          # ends at the first subtest
    ("subtests", "igt_runner finished"),
    ("results and unload", "vxe unloaded"),
    ("results and unload", "results copied"),
)


def guest_marks(console):
    """[(text, guest seconds)] of igtvm: lines, and the first subtest's start."""
    marks, first_test = [], None
    for raw in console.splitlines():
        line = raw.strip("\r")
        m = MARK.match(line)
        if m:
            marks.append((m.group(1), float(m.group(2) or m.group(3))))
            continue
        p = PROGRESS.match(line)
        if p and first_test is None:
            first_test = float(p.group(1))
    return marks, first_test


def split_phases(console):
    """[(phase, seconds)] in order, from the guest's clock; the last entry's
    end is the guest's last timestamp."""
    marks, first_test = guest_marks(console)
    points = []
    for phase, needle in PHASES:
        if needle is None:
            if first_test is not None:
                points.append((phase, first_test))
            continue
        t = next((t for text, t in marks if text.startswith(needle)), None)
        if t is not None:
            points.append((phase, t))
    points.sort(key=lambda p: p[1])
    phases, prev = [], 0.0
    for phase, t in points:
        if phases and phases[-1][0] == phase:
            phases[-1] = (phase, phases[-1][1] + t - prev)
        else:
            phases.append((phase, t - prev))
        prev = t
    return phases, prev


def subtest_seconds(results_path):
    try:
        with open(results_path, encoding="utf-8") as f:
            tests = json.load(f).get("tests", {})
    except (OSError, ValueError):
        return {}
    out = {}
    for name, entry in tests.items():
        t = entry.get("time") or {}
        try:
            out[name] = float(t.get("end", 0)) - float(t.get("start", 0))
        except (TypeError, ValueError):
            pass
    return out


def run_report(console, subtests, setup, qemu_wall):
    """[(key, seconds)] for timings.txt, in order."""
    rows = [(f"setup {name}", secs) for name, secs in setup]
    phases, last = split_phases(console)
    for phase, secs in phases:
        rows.append((phase, secs))
        if phase == "subtests":
            inside = sum(subtests.values())
            rows.append(("subtests: in the tests", inside))
            rows.append(("subtests: igt_runner between tests", max(secs - inside, 0.0)))
    if qemu_wall is not None:
        # Firmware and kernel loading before the guest's clock starts, and
        # power-off after its last line.
        rows.append(("firmware and power-off", max(qemu_wall - last, 0.0)))
        rows.append(("QEMU wall", qemu_wall))
    return rows


def fmt(secs):
    return f"{secs:.1f}"


def cmd_run(args):
    try:
        with open(args.console, encoding="utf-8", errors="replace") as f:
            console = f.read()
    except OSError as err:
        print(f"timings.py: {err}", file=sys.stderr)
        return 2
    setup = []
    for item in args.setup:
        name, _, secs = item.partition("=")
        setup.append((name, float(secs)))
    subtests = subtest_seconds(args.results) if args.results else {}
    rows = run_report(console, subtests, setup, args.qemu_wall)
    with open(args.out, "w", encoding="utf-8") as f:
        if args.accel:
            f.write(f"accel {args.accel}\n")
        for key, secs in rows:
            f.write(f"{key.replace(' ', '_').replace(':', '')} {fmt(secs)}\n")
        for name, secs in sorted(subtests.items(), key=lambda kv: -kv[1]):
            f.write(f"subtest {name} {fmt(secs)}\n")
    parts = [f"{key} {fmt(secs)} s" for key, secs in rows]
    slow = sorted(subtests.items(), key=lambda kv: -kv[1])[:3]
    if slow:
        parts.append("longest: " + ", ".join(f"{n.split('@')[-1]} {fmt(s)} s" for n, s in slow))
    accel = f" under {args.accel.upper()}" if args.accel else ""
    print(f"timing{accel}: " + "; ".join(parts))
    return 0


def read_timings(path):
    values, accel = {}, "?"
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) == 2 and fields[0] == "accel":
                accel = fields[1]
            elif len(fields) == 2:
                try:
                    values[fields[0]] = float(fields[1])
                except ValueError:
                    pass
    return accel, values


# Columns of the table: (heading, keys of timings.txt summed).
COLUMNS = (
    ("setup", ("setup_",)),
    ("boot", ("kernel_boot", "initramfs_and_rootfs", "firmware_and_power-off")),
    ("drivers", ("GPU_driver", "swap", "vxe_load")),
    ("runner", ("library_check", "igt_runner_start", "subtests_igt_runner_between_tests")),
    ("subtests", ("subtests_in_the_tests",)),
    ("results", ("results_and_unload",)),
    ("QEMU", ("QEMU_wall",)),
)


def cmd_table(args):
    rows = []
    for d in args.dirs:
        path = os.path.join(d, "timings.txt")
        if not os.path.isfile(path):
            continue
        accel, values = read_timings(path)
        cells = []
        for _, keys in COLUMNS:
            total = sum(v for k, v in values.items()
                        if any(k == key or (key.endswith("_") and k.startswith(key))
                               for key in keys))
            cells.append(total)
        rows.append((os.path.basename(os.path.normpath(d)), accel, cells))
    if not rows:
        return 0
    width = max(len(r[0]) for r in rows)
    head = "".join(f"{h:>10}" for h, _ in COLUMNS)
    print(f"{'configuration':<{width}}  accel{head}   (seconds)")
    for name, accel, cells in rows:
        print(f"{name:<{width}}  {accel:<5}" + "".join(f"{c:>10.1f}" for c in cells))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="where the time of igt-vm runs goes")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--console", required=True)
    r.add_argument("--results")
    r.add_argument("--out", required=True)
    r.add_argument("--setup", action="append", default=[], help="NAME=SECONDS of host set-up")
    r.add_argument("--qemu-wall", type=float)
    r.add_argument("--accel")
    t = sub.add_parser("table")
    t.add_argument("dirs", nargs="*")
    args = ap.parse_args(argv)
    return cmd_run(args) if args.cmd == "run" else cmd_table(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Judge one igt-vm run: how the VM ended (the guest's status), compare
igt_runner's results.json with an expectation file, judge the whole run's
kernel (taint, WARN/BUG/Oops in dmesg, out-of-tree module unload) and the
virtual driver's counters (*-stats.txt, by the stats rules file), print a
summary table and write JUnit XML. igt-vm only collects the files and
calls this; its exit status is igt-vm's.

Expectation file lines:  NAME RESULT  [# reason]
NAME is igt@binary@subtest (shell wildcards allowed), RESULT one of the
igt_runner results. A subtest not listed must pass. RESULT "pass|skip",
followed by /REGEX/, accepts a pass, or a skip whose output matches REGEX
(the reason a loaded host may give); any other skip, and every failure,
is unexpected. "skip /REGEX/" accepts only a skip for that reason. Exit status: 0 all as
expected, 1 something unexpected, 2 bad input, 3 the VM failed (--guest-status
other than 0: it hung, panicked, a driver did not load, no results).
"""

import argparse
import contextlib
import fnmatch
import glob
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

RESULTS = {"pass", "fail", "skip", "crash", "timeout", "incomplete", "abort",
           "notrun", "warn", "dmesg-warn", "dmesg-fail"}
# Output kept per test case in the JUnit file; GitLab shows it on failures.
MAX_OUTPUT = 20000


class BadInput(Exception):
    pass


PASS_OR_SKIP = "pass|skip"


def load_expectations(path):
    """Return a list of (pattern, result, reason, skip_regex or None); None
    when path is absent."""
    if not path:
        return []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except FileNotFoundError:
        return None
    rules = []
    for number, raw in enumerate(lines, 1):
        text, _, reason = raw.partition("#")
        fields = text.split(None, 2)
        if not fields:
            continue
        skip_re = None
        if len(fields) == 3 and fields[1] in (PASS_OR_SKIP, "skip"):
            regex = fields[2].strip()
            if len(regex) < 3 or regex[0] != "/" or regex[-1] != "/":
                raise BadInput(f"{path}:{number}: {fields[1]} needs /REGEX/, the skip "
                               f"reason it accepts")
            try:
                skip_re = re.compile(regex[1:-1])
            except re.error as e:
                raise BadInput(f"{path}:{number}: bad regex {regex}: {e}") from e
        elif len(fields) != 2 or fields[1] not in RESULTS:
            raise BadInput(f"{path}:{number}: expected 'igt@bin@subtest RESULT  # reason', "
                           f"RESULT one of {', '.join(sorted(RESULTS))}, or "
                           f"'{PASS_OR_SKIP} /REGEX/' or 'skip /REGEX/'")
        rules.append((fields[0], fields[1], reason.strip(), skip_re))
    return rules


def parse_benign(text):
    """Regexes (Python re) of kernel messages that are host-timing noise."""
    return [re.compile(line.strip()) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def load_benign(path):
    if not path:
        return []
    with open(path, encoding="utf-8") as f:
        return parse_benign(f.read())


def is_benign(message, benign):
    return any(p.search(message) for p in benign)


# igt_runner's default --dmesg-warn-level: lines at this level or more
# urgent turn a result into dmesg-warn.
DMESG_WARN_LEVEL = 4
DMESG_LINE = re.compile(r"^<(\d)>\s*\[[^]]*\]\s?(.*)$")


def effective_result(entry, benign):
    """The runner's result, with dmesg-warn/-fail undone when every warning
    in the test's dmesg is known host-timing noise. Returns (result, note)."""
    result = entry.get("result", "?")
    if result not in ("dmesg-warn", "dmesg-fail") or not benign:
        return result, ""
    warnings = []
    for line in entry.get("dmesg", "").splitlines():
        m = DMESG_LINE.match(line)
        if m and int(m.group(1)) <= DMESG_WARN_LEVEL:
            warnings.append(m.group(2))
    if warnings and all(is_benign(w, benign) for w in warnings):
        base = "pass" if result == "dmesg-warn" else "fail"
        return base, f"{result} from host-timing noise ignored"
    return result, ""


# --- The whole run's kernel: taint, dmesg, module unload ---------------------

# Letters of /proc/sys/kernel/tainted's bits, bit 0 first
# (Documentation/admin-guide/tainted-kernels.rst).
TAINT_LETTERS = "PFSRMBUDAWCIOELKXTNJ"
# O (out-of-tree module) and E (unsigned module): what loading our own
# virtual driver sets; allowed only when such a module was loaded.
TAINT_OUT_OF_TREE = (1 << 12) | (1 << 13)


def taint_letters(value):
    """'OE' for 12288, 'none' for 0; bits past the table show as their number."""
    out = []
    for bit in range(value.bit_length()):
        if value >> bit & 1:
            out.append(TAINT_LETTERS[bit] if bit < len(TAINT_LETTERS) else f"bit{bit}")
    return "".join(out) if out else "none"


def judge_taint(text, allowed):
    """Judge the guest's final /proc/sys/kernel/tainted (None: not reported).
    Returns (notes, problems)."""
    if text is None:
        return [], ["the guest did not report its taint (it did not reach the end of the run)"]
    digits = "".join(ch for ch in text if ch.isdigit())
    taint = int(digits) if digits else 0
    bad = taint & ~allowed
    if bad:
        return [], [f"kernel tainted {taint} ({taint_letters(taint)}) at the end of the run; "
                    f"not allowed: {bad} ({taint_letters(bad)})"]
    why = ""
    if taint:
        why = ": the out-of-tree (O) and unsigned (E) module load, allowed"
    return [f"kernel taint at the end: {taint} ({taint_letters(taint)}){why}"], []


# A WARN sets taint W and an Oops D, so they count even when their lines
# left the log buffer; these lines name them when they are still there.
KERNEL_TROUBLE = re.compile(r"WARNING:|------------\[ cut here \]|BUG:|Oops|kernel BUG at|"
                            r"general protection fault|Kernel panic")
DMESG_PREFIX = re.compile(r"^(<\d>)?\s*\[[^]]*\]\s?")


def judge_dmesg(text, benign):
    """Problems in the guest's whole dmesg: WARN, BUG, Oops, panic lines not
    matching the benign list. Call traces alone do not count (igt_runner
    asks for a task dump when it kills a test at its timeout)."""
    lines = []
    for line in text.splitlines():
        message = DMESG_PREFIX.sub("", line)
        if KERNEL_TROUBLE.search(message) and not is_benign(message, benign):
            lines.append(message)
    if not lines:
        return []
    # The message itself says more than the "cut here" marker.
    first = next((m for m in lines if "cut here" not in m), lines[0])
    return [f"dmesg has {len(lines)} WARN/BUG/Oops line(s) across the run, first: {first}"]


def judge_unload(module, text):
    """The guest writes 'ok' or 'failed: <rmmod output>' to <module>-unload."""
    if text is None:
        return [], [f"rmmod {module}: not attempted (the guest stopped before)"]
    if text.strip() == "ok":
        return [f"rmmod {module}: clean"], []
    return [], [f"rmmod {module}: {text.strip()}"]


# --- The virtual driver's own counters (*-stats.txt) -------------------------

# The rules are data: runner/expectations/vxe-stats-rules.txt (its header
# says the format). StatsRules.nonzero holds (globs, counter, what a zero
# means), at_rest the gauges that must be back at 0 once every client
# closed (the guest saves the counters after igt_runner, before unloading
# the driver).
STATS_RULES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "expectations", "vxe-stats-rules.txt")
STATS_RULES_FORMAT = ("expected 'set NAME GLOB...', 'nonzero COUNTER SET  # reason' or "
                      "'zero-at-rest GAUGE'")
WORD = re.compile(r"^[A-Za-z0-9_-]+$")


class StatsRules:
    def __init__(self):
        self.nonzero = []
        self.at_rest = []


def stats_set_globs(fields, sets, where):
    """The globs of a 'set' line, each $NAME replaced by that set's."""
    globs = []
    for g in fields:
        if g.startswith("$"):
            if g[1:] not in sets:
                raise BadInput(f"{where}: {g}: no set {g[1:]} defined above")
            globs += sets[g[1:]]
        else:
            globs.append(g)
    return globs


def stats_rule_line(rules, sets, fields, reason, where):
    """Add one line's rule to rules (sets: the names defined so far)."""
    kind, args = fields[0], fields[1:]
    if kind == "set" and len(args) >= 2 and WORD.match(args[0]):
        sets[args[0]] = stats_set_globs(args[1:], sets, where)
    elif kind == "nonzero" and len(args) == 2 and WORD.match(args[0]):
        if args[1] not in sets:
            raise BadInput(f"{where}: nonzero {args[0]}: no set {args[1]} defined above")
        if not reason:
            raise BadInput(f"{where}: nonzero {args[0]}: needs '# reason', "
                           f"what a 0 means")
        rules.nonzero.append((tuple(sets[args[1]]), args[0], reason))
    elif kind == "zero-at-rest" and len(args) == 1 and WORD.match(args[0]):
        rules.at_rest.append(args[0])
    else:
        raise BadInput(f"{where}: {STATS_RULES_FORMAT}")


def parse_stats_rules(text, path):
    """StatsRules from the text of a rules file; BadInput names path:line."""
    rules, sets = StatsRules(), {}
    for number, raw in enumerate(text.splitlines(), 1):
        body, _, reason = raw.partition("#")
        fields = body.split()
        if fields:
            stats_rule_line(rules, sets, fields, reason.strip(), f"{path}:{number}")
    return rules


def load_stats_rules(path=STATS_RULES_FILE):
    with open(path, encoding="utf-8") as f:
        return parse_stats_rules(f.read(), path)


def parse_stats(text):
    """'name value' lines -> {name: int}; lines that are not are ignored."""
    stats = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[1].lstrip("-").isdigit():
            stats[fields[0]] = int(fields[1])
    return stats


def matching(names, patterns):
    return sorted(n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns))


def judge_stats(label, stats, passed, rules):
    """Problems with a driver's counters, given the names of the subtests
    that passed on it and the StatsRules. label names the file in the
    messages."""
    problems = []
    for patterns, counter, why in rules.nonzero:
        who = matching(passed, patterns)
        if not who:
            continue
        if counter not in stats:
            problems.append(f"{label}: no '{counter}' counter, needed to judge {who[0]}")
        elif stats[counter] <= 0:
            more = f" and {len(who) - 1} more" if len(who) > 1 else ""
            problems.append(f"{label}: {counter} = 0 although {who[0]}{more} passed: {why}")
    for gauge in rules.at_rest:
        if stats.get(gauge, 0) != 0:
            problems.append(f"{label}: {gauge} = {stats[gauge]} after every client closed "
                            f"(expected 0: left behind)")
    return problems


# --- Comparing results with the expectations ---------------------------------

def expected_for(name, rules):
    """(result, reason, skip_regex) of the first rule matching name."""
    for pattern, result, reason, skip_re in rules:
        if fnmatch.fnmatchcase(name, pattern):
            return result, reason, skip_re
    return "pass", "", None


def as_expected(result, expected, skip_re, entry):
    """Whether result meets expected; a pass|skip rule takes a pass, or a
    skip whose output matches its regex; a skip /REGEX/ rule only such a
    skip. Returns (ok, note)."""
    if skip_re is None:
        return result == expected, ""
    if result == "pass" and expected == PASS_OR_SKIP:
        return True, ""
    if result != "skip":
        return False, ""
    if skip_re.search(entry.get("out", "") + entry.get("err", "")):
        return True, f"skip accepted: its output matches /{skip_re.pattern}/"
    return False, f"skip not accepted: its output does not match /{skip_re.pattern}/"


def test_seconds(entry):
    t = entry.get("time") or {}
    try:
        return float(t.get("end", 0)) - float(t.get("start", 0))
    except (TypeError, ValueError):
        return 0.0


def binary_of(name):
    parts = name.split("@")
    return parts[1] if len(parts) > 2 else "?"


def compare(tests, rules, strict, benign):
    """Rows of (name, result, expected, reason, seconds, ok) and missing names."""
    rows = []
    for name in sorted(tests):
        entry = tests[name]
        result, note = effective_result(entry, benign)
        expected, reason, skip_re = expected_for(name, rules)
        ok, why = as_expected(result, expected, skip_re, entry)
        for n in (note, why):
            if n:
                reason = f"{reason}; {n}" if reason else n
        rows.append((name, result, expected, reason, test_seconds(entry), ok))
    missing = []
    if strict:
        for pattern, result, _, _ in rules:
            if not any(ch in pattern for ch in "*?[") and pattern not in tests:
                missing.append((pattern, result))
    return rows, missing


def print_table(rows, config, reference):
    width = max([len(r[0]) for r in rows] + [7])
    print(f"\n== igt-vm {config} ==")
    print(f"{'subtest':<{width}}  {'result':<10} {'expected':<10} {'time':>8}  verdict")
    for name, result, expected, reason, seconds, ok in rows:
        verdict = "ok" if ok else "UNEXPECTED"
        if binary_of(name) in reference:
            verdict += " (reference)"
        if reason and ok:
            verdict += f"  # {reason}"
        print(f"{name:<{width}}  {result:<10} {expected:<10} {seconds:>7.2f}s  {verdict}")


def speed_label(accel):
    """First line of each test's output in the JUnit file: the figures the
    subtests print (MiB/s, % of memset) are the emulator's under TCG."""
    if not accel:
        return ""
    if accel == "tcg":
        return ("[igt-vm] ran in a QEMU guest under TCG: the speed figures below are the "
                "emulator's, not hardware's (benchmarks/ on the host stand for hardware)\n")
    return f"[igt-vm] ran in a QEMU guest under {accel.upper()}\n"


def write_junit(path, rows, tests, config, problems=(), accel=None, vm_failure=None):
    suite = ET.Element("testsuite", name=f"igt-vm {config}")
    failures = skipped = 0
    total = 0.0
    cases = len(rows) + 1
    if vm_failure:
        case = ET.SubElement(suite, "testcase", classname=f"igt-vm.{config}.vm",
                             name="vm: the guest ran to its end", time="0")
        failures += 1
        cases += 1
        ET.SubElement(case, "failure", message=vm_failure, type="vm")
    # The whole run's kernel log, taint and driver counters, judged once.
    case = ET.SubElement(suite, "testcase", classname=f"igt-vm.{config}.kernel",
                         name="kernel: no WARN, BUG, Oops or taint", time="0")
    if problems:
        failures += 1
        ET.SubElement(case, "failure", message="; ".join(problems), type="kernel")
    for name, result, expected, reason, seconds, ok in rows:
        total += seconds
        case = ET.SubElement(suite, "testcase", classname=f"igt-vm.{config}.{binary_of(name)}",
                             name=name, time=f"{seconds:.3f}")
        if not ok:
            failures += 1
            ET.SubElement(case, "failure", message=f"expected {expected}, got {result}",
                          type=result)
        elif result == "skip":
            skipped += 1
            ET.SubElement(case, "skipped", message=reason or "skipped as expected")
        entry = tests[name]
        out = (entry.get("out", "") + entry.get("err", ""))[-MAX_OUTPUT:]
        if out:
            ET.SubElement(case, "system-out").text = speed_label(accel) + out
        dmesg = entry.get("dmesg", "")[-MAX_OUTPUT:]
        if dmesg:
            ET.SubElement(case, "system-err").text = dmesg
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    suite.set("time", f"{total:.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def verdict_lines(rows, missing, config, reference, expect_path, rules_missing,
                  notes=(), problems=(), vm_failure=None):
    lines = [f"note: {n}" for n in notes]
    if rules_missing:
        lines.append(f"note: no expectation file {expect_path}: every subtest must pass")
    bad = [r for r in rows if not r[5]]
    for name, result, expected, reason, _, _ in bad:
        why = ""
        if "skip not accepted" in reason:
            why = " (" + reason[reason.index("skip not accepted"):] + ")"
        lines.append(f"unexpected: {name}: expected {expected}, got {result}{why}")
    for name, result in missing:
        lines.append(f"unexpected: {name}: expected {result}, but it did not run")
    for p in problems:
        lines.append(f"unexpected: kernel: {p}")
    ref_bad = [r for r in bad if binary_of(r[0]) in reference]
    if ref_bad:
        lines.append("note: the upstream reference test failed too: suspect the VM or the kernel, "
                     "not only our tests")
    if vm_failure:
        lines.append(f"unexpected: vm: {vm_failure}")
        lines.append(f"verdict {config}: FAIL (the VM failed: {vm_failure})")
    elif not rows:
        lines.append(f"verdict {config}: FAIL (no subtest ran)")
    elif bad or missing or problems:
        counts = f"{len(bad) + len(missing)} unexpected of {len(rows)}"
        if problems:
            counts += f", {len(problems)} kernel problem(s) across the run"
        if rules_missing and bad:
            # Say it where the failure is read: the file, not the kernel, may be what is missing.
            counts += (f"; judged without an expectation file ({expect_path} does not exist), "
                       f"so every non-pass counts")
        lines.append(f"verdict {config}: FAIL ({counts})")
    else:
        lines.append(f"verdict {config}: OK ({len(rows)} subtests as expected)")
    return lines


# --- How the VM ended --------------------------------------------------------

# The status runner/lib/qemu.sh's run_qemu records: the code the guest
# wrote to isa-debug-exit (runner/guest/init and run-tests say which they
# write), or what the host saw. Anything but "0" fails the run (exit 3).
GUEST_STATUS_MESSAGES = {
    "0": "guest finished and wrote results.json",
    "3": "guest could not mount its disks or shares (early init)",
    "4": "igt_runner wrote no results.json",
    "5": "the GPU driver did not come up",
    "6": "swap could not be enabled",
    "8": "vxe.ko did not load in the guest (see the console's vxe lines)",
    "timeout": "host-side timeout (--timeout): the guest hung or was too slow; QEMU was killed",
    "stalled": "no progress for --stall-timeout seconds (no subtest started, no step of the "
               "guest's): the guest hung; QEMU was killed",
    "nostatus": "the guest stopped without reporting a status (kernel panic?)",
}
VM_FAILED = 3
CONSOLE_TAIL = 30


def guest_status_message(status):
    if status in GUEST_STATUS_MESSAGES:
        return GUEST_STATUS_MESSAGES[status]
    if status.startswith("qemu-"):
        return f"QEMU failed (exit status {status[5:]})"
    return f"guest reported status {status}"


def vm_failure_report(guest_dir, message, have_results):
    """What igt-vm shows on stderr when the VM failed: the reason, QEMU's
    own errors and the last console lines."""
    lines = [f"VM failed: {message}"]
    if guest_dir:
        qemu = read_optional(os.path.join(guest_dir, "qemu-stderr.txt")) or ""
        lines += [f"qemu: {line}" for line in qemu.splitlines()]
        console = os.path.join(guest_dir, "console.log")
        tail = (read_optional(console) or "").splitlines()[-CONSOLE_TAIL:]
        lines.append("last console lines:")
        lines += [f"    {line}" for line in tail]
        if not have_results:
            lines.append(f"console log: {console}")
    return [f"[igt-vm] {line}" for line in lines]


# --- Reading a results directory ----------------------------------------------

def read_optional(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return None


def judge_guest_files(guest_dir, modules, benign, passed, stats_rules):
    """Notes and problems from the files the guest saved in guest_dir:
    tainted, dmesg.txt, <module>-unload and every *-stats.txt."""
    notes, problems = [], []
    allowed = TAINT_OUT_OF_TREE if modules else 0
    n, p = judge_taint(read_optional(os.path.join(guest_dir, "tainted")), allowed)
    notes += n
    problems += p
    dmesg = read_optional(os.path.join(guest_dir, "dmesg.txt"))
    if dmesg is not None:
        problems += judge_dmesg(dmesg, benign)
    for module in modules:
        n, p = judge_unload(module, read_optional(os.path.join(guest_dir, f"{module}-unload")))
        notes += n
        problems += p
        if not os.path.exists(os.path.join(guest_dir, f"{module}-stats.txt")):
            problems.append(f"{module}-stats.txt: the guest saved no counters for {module}")
    for path in sorted(glob.glob(os.path.join(guest_dir, "*-stats.txt"))):
        label = os.path.basename(path)
        found = judge_stats(label, parse_stats(read_optional(path) or ""), passed,
                            stats_rules)
        problems += found
        if not found:
            notes.append(f"{label}: the driver's counters agree with the passing subtests")
    return notes, problems


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", help="results.json from igt_runner (required unless --skipped)")
    ap.add_argument("--skipped", metavar="REASON",
                    help="the run was skipped before the VM (e.g. vxe cannot run on the kernel): "
                         "say so in the summary and exit 0")
    ap.add_argument("--expect", help="expectation file (absent file: all must pass)")
    ap.add_argument("--junit", help="write JUnit XML here")
    ap.add_argument("--summary", help="also write the table and verdict here")
    ap.add_argument("--config", default="vm", help="configuration label, e.g. trixie-qxl")
    ap.add_argument("--reference", action="append", default=[],
                    help="binary name of an upstream reference test")
    ap.add_argument("--benign-dmesg", help="file of regexes of host-timing kernel warnings")
    ap.add_argument("--strict", action="store_true",
                    help="every exact name in the expectation file must have run")
    ap.add_argument("--guest-dir",
                    help="directory of the guest's tainted, dmesg.txt, *-unload, *-stats.txt: "
                         "judge the whole run's kernel and the driver's counters")
    ap.add_argument("--stats-rules", default=STATS_RULES_FILE,
                    help="rules for the driver's counters (default: "
                         "expectations/vxe-stats-rules.txt beside this script)")
    ap.add_argument("--module", action="append", default=[],
                    help="out-of-tree module loaded in the guest (taint O and E allowed; "
                         "MODULE-unload must say ok and MODULE-stats.txt exist), repeatable")
    ap.add_argument("--accel", help="QEMU accelerator the guest ran under (tcg, kvm): "
                                    "labels the speed figures in each test's output")
    ap.add_argument("--guest-status", default="0",
                    help="how the VM ended, as runner/lib/qemu.sh's run_qemu recorded it: the "
                         "guest's code, timeout, stalled, nostatus or qemu-N; anything but 0 "
                         "fails the run with exit status 3 (results.json may then be absent)")
    ap.add_argument("--note", action="append", default=[],
                    help="a line for the summary (e.g. the virtual driver's state), repeatable")
    ap.add_argument("--problem", action="append", default=[],
                    help="a problem seen across the run: shown and fails the verdict, repeatable")
    args = ap.parse_args(argv)
    if not args.results and not args.skipped:
        ap.error("--results is required (or --skipped REASON)")
    return args


def read_results(path, vm_failed):
    """igt_runner's tests from results.json; None when a failed VM left
    none (the guest writes it last)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("tests", {})
    except FileNotFoundError:
        if vm_failed:
            return None
        raise


def judge(args, tests, benign, rules, stats_rules):
    """Rows, missing names, notes and problems of a run with results."""
    rows, missing = compare(tests, rules or [], args.strict, benign)
    notes, problems = list(args.note), list(args.problem)
    if args.accel == "tcg":
        notes.append("speed figures in the subtests' output (MiB/s, % of memset/memcmp) come from "
                     "TCG, QEMU's emulator: they are not hardware's; see benchmarks/ on the host")
    if args.guest_dir:
        passed = [r[0] for r in rows if r[1] == "pass" and binary_of(r[0]) not in args.reference]
        n, p = judge_guest_files(args.guest_dir, args.module, benign, passed, stats_rules)
        notes += n
        problems += p
    return rows, missing, notes, problems


def write_summary(args, text):
    sys.stdout.write(text)
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            f.write(text)


def main(argv=None):
    args = parse_args(argv)
    if args.skipped:
        write_summary(args, f"skipped: {args.skipped}\n")
        return 0
    vm_failure = None
    if args.guest_status != "0":
        vm_failure = guest_status_message(args.guest_status)
        for line in vm_failure_report(args.guest_dir, vm_failure, os.path.exists(args.results)):
            print(line, file=sys.stderr)
    try:
        tests = read_results(args.results, vm_failure)
        rules = load_expectations(args.expect)
        benign = load_benign(args.benign_dmesg)
        stats_rules = load_stats_rules(args.stats_rules) if args.guest_dir else None
    except (OSError, ValueError, re.error, BadInput) as err:
        print(f"results.py: {err}", file=sys.stderr)
        return VM_FAILED if vm_failure else 2
    rows, missing, notes, problems = [], [], list(args.note), []
    if tests is not None:
        rows, missing, notes, problems = judge(args, tests, benign, rules, stats_rules)

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        if tests is not None:
            print_table(rows, args.config, args.reference)
        for line in verdict_lines(rows, missing, args.config, args.reference,
                                  args.expect, rules is None, notes, problems, vm_failure):
            print(line)
    write_summary(args, buf.getvalue())
    if args.junit:
        write_junit(args.junit, rows, tests or {}, args.config, problems, args.accel, vm_failure)
    if vm_failure:
        return VM_FAILED
    ok = rows and not missing and not problems and all(r[5] for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

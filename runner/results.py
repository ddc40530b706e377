#!/usr/bin/python3
"""Read an igt_runner results.json, compare it with an expectation file,
print a summary table and write JUnit XML.

Expectation file lines:  NAME RESULT  [# reason]
NAME is igt@binary@subtest (shell wildcards allowed), RESULT one of the
igt_runner results. A subtest not listed must pass. Exit status: 0 all as
expected, 1 something unexpected, 2 bad input.
"""

import argparse
import fnmatch
import json
import re
import sys
import xml.etree.ElementTree as ET

RESULTS = {"pass", "fail", "skip", "crash", "timeout", "incomplete", "abort",
           "notrun", "warn", "dmesg-warn", "dmesg-fail"}
# Output kept per test case in the JUnit file; GitLab shows it on failures.
MAX_OUTPUT = 20000


class BadInput(Exception):
    pass


def load_expectations(path):
    """Return a list of (pattern, result, reason); [] when path is absent."""
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
        fields = text.split()
        if not fields:
            continue
        if len(fields) != 2 or fields[1] not in RESULTS:
            raise BadInput(f"{path}:{number}: expected 'igt@bin@subtest RESULT  # reason', "
                           f"RESULT one of {', '.join(sorted(RESULTS))}")
        rules.append((fields[0], fields[1], reason.strip()))
    return rules


def load_benign(path):
    """Regexes of kernel warnings that are host-timing noise, not test results."""
    if not path:
        return []
    with open(path, encoding="utf-8") as f:
        return [re.compile(line.strip()) for line in f
                if line.strip() and not line.lstrip().startswith("#")]


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
    if warnings and all(any(p.search(w) for p in benign) for w in warnings):
        base = "pass" if result == "dmesg-warn" else "fail"
        return base, f"{result} from host-timing noise ignored"
    return result, ""


def expected_for(name, rules):
    for pattern, result, reason in rules:
        if fnmatch.fnmatchcase(name, pattern):
            return result, reason
    return "pass", ""


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
        expected, reason = expected_for(name, rules)
        ok = result == expected
        if note:
            reason = f"{reason}; {note}" if reason else note
        rows.append((name, result, expected, reason, test_seconds(entry), ok))
    missing = []
    if strict:
        for pattern, result, _ in rules:
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


def write_junit(path, rows, tests, config, problems=()):
    suite = ET.Element("testsuite", name=f"igt-vm {config}")
    failures = skipped = 0
    total = 0.0
    # The whole run's kernel log and taint, judged once after all tests.
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
            ET.SubElement(case, "system-out").text = out
        dmesg = entry.get("dmesg", "")[-MAX_OUTPUT:]
        if dmesg:
            ET.SubElement(case, "system-err").text = dmesg
    suite.set("tests", str(len(rows) + 1))
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    suite.set("time", f"{total:.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def verdict_lines(rows, missing, config, reference, expect_path, rules_missing,
                  notes=(), problems=()):
    lines = [f"note: {n}" for n in notes]
    if rules_missing:
        lines.append(f"note: no expectation file {expect_path}: every subtest must pass")
    bad = [r for r in rows if not r[5]]
    for name, result, expected, _, _, _ in bad:
        lines.append(f"unexpected: {name}: expected {expected}, got {result}")
    for name, result in missing:
        lines.append(f"unexpected: {name}: expected {result}, but it did not run")
    for p in problems:
        lines.append(f"unexpected: kernel: {p}")
    ref_bad = [r for r in bad if binary_of(r[0]) in reference]
    if ref_bad:
        lines.append("note: the upstream reference test failed too: suspect the VM or the kernel, "
                     "not only our tests")
    if not rows:
        lines.append(f"verdict {config}: FAIL (no subtest ran)")
    elif bad or missing or problems:
        counts = f"{len(bad) + len(missing)} unexpected of {len(rows)}"
        if problems:
            counts += f", {len(problems)} kernel problem(s) across the run"
        lines.append(f"verdict {config}: FAIL ({counts})")
    else:
        lines.append(f"verdict {config}: OK ({len(rows)} subtests as expected)")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", required=True, help="results.json from igt_runner")
    ap.add_argument("--expect", help="expectation file (absent file: all must pass)")
    ap.add_argument("--junit", help="write JUnit XML here")
    ap.add_argument("--summary", help="also write the table and verdict here")
    ap.add_argument("--config", default="vm", help="configuration label, e.g. trixie-qxl")
    ap.add_argument("--reference", action="append", default=[],
                    help="binary name of an upstream reference test")
    ap.add_argument("--benign-dmesg", help="file of regexes of host-timing kernel warnings")
    ap.add_argument("--strict", action="store_true",
                    help="every exact name in the expectation file must have run")
    ap.add_argument("--note", action="append", default=[],
                    help="a line for the summary (e.g. vttm's state), repeatable")
    ap.add_argument("--problem", action="append", default=[],
                    help="a kernel problem seen across the run (WARN, taint...): "
                         "shown and fails the verdict, repeatable")
    args = ap.parse_args()

    try:
        with open(args.results, encoding="utf-8") as f:
            tests = json.load(f).get("tests", {})
        rules = load_expectations(args.expect)
        benign = load_benign(args.benign_dmesg)
    except (OSError, ValueError, re.error, BadInput) as err:
        print(f"results.py: {err}", file=sys.stderr)
        return 2
    rules_missing = rules is None
    rows, missing = compare(tests, rules or [], args.strict, benign)

    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        print_table(rows, args.config, args.reference)
        for line in verdict_lines(rows, missing, args.config, args.reference,
                                  args.expect, rules_missing, args.note, args.problem):
            print(line)
    sys.stdout.write(buf.getvalue())
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            f.write(buf.getvalue())
    if args.junit:
        write_junit(args.junit, rows, tests, args.config, args.problem)
    ok = rows and not missing and not args.problem and all(r[5] for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

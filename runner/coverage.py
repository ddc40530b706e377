#!/usr/bin/python3
"""Which subtests a matrix run exercised: for every subtest of the given
test binaries, the configurations where it passed and those where it
skipped (allowed there, or the configuration failed anyway) or ended
otherwise (an expected failure under an injected fault, say). A subtest
that passed in no configuration fails the check, unless the exemption file
names it with the reason no configuration of the matrix can exercise it.

Exemption file lines:  igt@binary@subtest  # why no configuration passes it
A name that is no subtest of the binaries is an error (a typo would exempt
nothing and say nothing).

Usage: runner/coverage.py --results-dir DIR [--exempt FILE] BINARY...
DIR holds one folder per configuration (NAME/results.json, igt_runner's
file), as runner/matrix writes them; matrix.tsv there names the
configurations (all folders with a results.json when it is absent).
Exit status: 0 every subtest passed somewhere or is exempt, 1 some passed
nowhere, 2 bad input.
"""

import argparse
import json
import os
import subprocess
import sys


class BadInput(Exception):
    pass


def list_subtests(binary):
    """igt@NAME@SUBTEST for every subtest of a test binary."""
    name = os.path.basename(binary)
    try:
        out = subprocess.run([binary, "--list-subtests"], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as err:
        raise BadInput(f"{binary}: cannot list its subtests: {err}") from err
    return [f"igt@{name}@{line.strip()}" for line in out.splitlines() if line.strip()]


def load_exempt(path, subtests):
    """{name: reason} from an exemption file; every name must be a subtest."""
    exempt = {}
    if not path:
        return exempt
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except OSError as err:
        raise BadInput(f"{path}: {err}") from err
    for number, raw in enumerate(lines, 1):
        text, _, reason = raw.partition("#")
        fields = text.split()
        if not fields:
            continue
        if len(fields) != 1 or not reason.strip():
            raise BadInput(f"{path}:{number}: expected 'igt@binary@subtest  # reason', "
                           f"got '{raw.strip()}'")
        if fields[0] not in subtests:
            raise BadInput(f"{path}:{number}: '{fields[0]}' is no subtest of the binaries given")
        exempt[fields[0]] = reason.strip()
    return exempt


def configurations(results_dir):
    """Names of the matrix's configurations, in matrix.tsv's order."""
    tsv = os.path.join(results_dir, "matrix.tsv")
    if os.path.exists(tsv):
        with open(tsv, encoding="utf-8") as f:
            return [line.split("\t", 1)[0] for line in f if line.strip()]
    if not os.path.isdir(results_dir):
        raise BadInput(f"{results_dir}: no such results directory")
    return sorted(d for d in os.listdir(results_dir)
                  if os.path.exists(os.path.join(results_dir, d, "results.json")))


def load_results(results_dir, names):
    """{configuration: {test name: result}}; a configuration without a
    results.json (it failed before igt_runner ran) has none."""
    found = {}
    for name in names:
        path = os.path.join(results_dir, name, "results.json")
        try:
            with open(path, encoding="utf-8") as f:
                tests = json.load(f).get("tests", {})
        except FileNotFoundError:
            tests = {}
        except (OSError, ValueError) as err:
            raise BadInput(f"{path}: {err}") from err
        found[name] = {t: v.get("result", "") for t, v in tests.items()}
    return found


def coverage(subtests, results):
    """[(subtest, passed in, skipped in, other results)], subtests in order."""
    rows = []
    for sub in subtests:
        passed, skipped, other = [], [], []
        for config, tests in results.items():
            result = tests.get(sub)
            if result == "pass":
                passed.append(config)
            elif result == "skip":
                skipped.append(config)
            elif result:
                other.append(f"{config} ({result})")
        rows.append((sub, passed, skipped, other))
    return rows


def short(names, limit=3):
    if not names:
        return "-"
    more = f" +{len(names) - limit}" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def report(rows, exempt):
    """The table's lines and the subtests that passed nowhere unexempted."""
    lines = [f"{'subtest':44} {'passed':>6} {'skipped':>7}  where it passed / skipped / else"]
    uncovered = []
    for sub, passed, skipped, other in rows:
        where = f"{short(passed)} / {short(skipped)}"
        if other:
            where += f" / {short(other)}"
        if not passed:
            if sub in exempt:
                where += f"  (passes nowhere here: {exempt[sub]})"
            else:
                where += "  PASSED NOWHERE"
                uncovered.append(sub)
        lines.append(f"{sub:44} {len(passed):6} {len(skipped):7}  {where}")
    return lines, uncovered


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results-dir", required=True)
    ap.add_argument("--exempt", help="subtests no configuration can pass, with the reason")
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args(argv)
    try:
        subtests = [s for b in args.binaries for s in list_subtests(b)]
        exempt = load_exempt(args.exempt, set(subtests))
        results = load_results(args.results_dir, configurations(args.results_dir))
    except BadInput as err:
        print(f"coverage.py: {err}", file=sys.stderr)
        return 2
    lines, uncovered = report(coverage(subtests, results), exempt)
    print("\n".join(lines))
    if uncovered:
        print(f"coverage: {len(uncovered)} subtest(s) passed in no configuration: "
              + ", ".join(uncovered))
        return 1
    print(f"coverage: each of {len(subtests)} subtests passed somewhere "
          f"({len(exempt)} exempt) in {len(results)} configurations")
    return 0


if __name__ == "__main__":
    sys.exit(main())

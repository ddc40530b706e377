#!/usr/bin/python3
"""vxe's faults, read where each fact lives: the module's fault_*
parameters (module_param and MODULE_PARM_DESC lines of drivers/vxe/*.c,
whichever file holds them), docs/vxe.md's fault table (rows starting
with | `fault_NAME` |) and runner/matrix's entries that use --fault NAME.
The three must agree, and every such matrix entry must name an
expectation file that exists: the runner takes the names from the
module (modinfo -p), so a fault added, renamed or dropped shows here.
IGT_SHRINK_TOP points the test at another tree (to see it fail on an
edited copy)."""

import glob
import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("IGT_SHRINK_TOP") or os.path.dirname(os.path.dirname(HERE))

PARAM = re.compile(r"\bmodule_param(?:_named|_cb|_unsafe)?\(\s*fault_([a-z0-9_]+)\s*,")
DESC = re.compile(r"\bMODULE_PARM_DESC\(\s*fault_([a-z0-9_]+)\s*,")
DOC_ROW = re.compile(r"^\|\s*`fault_([a-z0-9_]+)`\s*\|", re.M)
# "name|command|arguments[|expectation file]", one per line of CONFIGS.
MATRIX_ENTRY = re.compile(r'^\s*"([^"|]+)\|([^"|]*)\|([^"|]*)(?:\|([^"|]*))?"\s*$', re.M)
FAULT_ARG = re.compile(r"--fault\s+(\S+)")


def read(*parts):
    with open(os.path.join(TOP, *parts), encoding="utf-8") as f:
        return f.read()


def source_faults(pattern):
    """{fault: file} of the drivers/vxe/*.c lines matching pattern."""
    found = {}
    for path in sorted(glob.glob(os.path.join(TOP, "drivers", "vxe", "*.c"))):
        with open(path, encoding="utf-8") as f:
            for name in pattern.findall(f.read()):
                found[name] = os.path.basename(path)
    return found


def matrix_fault_entries():
    """(entry name, [fault names], expectation file or '') per --fault entry."""
    entries = []
    for name, _, args, expect in MATRIX_ENTRY.findall(read("runner", "matrix")):
        faults = FAULT_ARG.findall(args)
        if faults:
            entries.append((name, faults, expect or ""))
    return entries


class Faults(unittest.TestCase):
    def setUp(self):
        self.params = source_faults(PARAM)
        self.descs = source_faults(DESC)
        self.documented = set(DOC_ROW.findall(read("docs", "vxe.md")))

    def test_sources_declare_faults(self):
        self.assertTrue(self.params, "no module_param(fault_...) line in drivers/vxe/*.c")

    def test_each_parameter_has_its_description(self):
        self.assertEqual(sorted(self.params), sorted(self.descs),
                         "fault_* module_param and MODULE_PARM_DESC lines differ")

    def test_docs_table_names_the_module_faults(self):
        module = set(self.params)
        self.assertFalse(module - self.documented,
                         f"fault_* parameters missing from docs/vxe.md's fault table: "
                         f"{sorted(module - self.documented)}")
        self.assertFalse(self.documented - module,
                         f"docs/vxe.md's fault table names faults the module lacks: "
                         f"{sorted(self.documented - module)}")

    def test_matrix_fault_entries(self):
        entries = matrix_fault_entries()
        self.assertTrue(entries, "runner/matrix has no --fault entry")
        for name, faults, expect in entries:
            with self.subTest(entry=name):
                self.assertTrue(expect, f"matrix entry {name} (--fault {' '.join(faults)}) "
                                        f"names no expectation file")
                path = os.path.join(TOP, "runner", "expectations", expect)
                self.assertTrue(os.path.isfile(path),
                                f"matrix entry {name}: {expect} is not in runner/expectations/")
                unknown = sorted(set(faults) - set(self.params))
                self.assertFalse(unknown, f"matrix entry {name}: --fault {unknown} is no "
                                          f"fault_* parameter of drivers/vxe")


if __name__ == "__main__":
    print(f"tree: {TOP}", file=sys.stderr)
    unittest.main(verbosity=2)

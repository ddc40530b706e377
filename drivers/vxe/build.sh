#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds vxe.ko; see drivers/build.sh --help.
exec "$(cd "$(dirname "$0")/.." && pwd)/build.sh" vxe "$@"

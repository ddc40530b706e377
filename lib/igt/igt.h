/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The umbrella header tests include, as upstream's lib/igt.h.
 */

#ifndef IGT_H
#define IGT_H

#include "igt_core.h"
#include "igt_device_scan.h"

#endif /* IGT_H */

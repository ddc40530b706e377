/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The umbrella header tests include, as upstream's lib/igt.h.
 */

#ifndef IGT_H
#define IGT_H

#include "drmtest.h"
#include "igt_aux.h"
#include "igt_core.h"
#include "igt_debugfs.h"
#include "igt_device_scan.h"
#include "igt_kmod.h"
#include "igt_kms.h"
#include "igt_os.h"
#include "igt_syncobj.h"
#include "igt_sysfs.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */

/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Finding a DRM device's debugfs folder, as upstream IGT's
 * lib/igt_debugfs.h (the driver-agnostic part).
 */

#ifndef __IGT_DEBUGFS_H__
#define __IGT_DEBUGFS_H__

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

const char *igt_debugfs_mount(void);
char *igt_debugfs_path(int device, char *path, int pathlen);
int igt_debugfs_dir(int device);
int igt_debugfs_open(int fd, const char *filename, int mode);

/*
 * Flags for igt_drop_caches_set(), as i915's i915_gem_drop_caches takes
 * them: unbound/bound objects, retire, active, freed, shrink everything,
 * idle, reset active/seqno, RCU.
 */
#define DROP_UNBOUND 0x1
#define DROP_BOUND 0x2
#define DROP_RETIRE 0x4
#define DROP_ACTIVE 0x8
#define DROP_FREED 0x10
#define DROP_SHRINK_ALL 0x20
#define DROP_IDLE 0x40
#define DROP_RESET_ACTIVE 0x80
#define DROP_RESET_SEQNO 0x100
#define DROP_RCU 0x200
#define DROP_ALL (DROP_UNBOUND | DROP_BOUND | DROP_SHRINK_ALL | DROP_RETIRE | \
		  DROP_ACTIVE | DROP_IDLE | DROP_FREED)

void igt_drop_caches_set(int drm_fd, uint64_t val);

#endif /* __IGT_DEBUGFS_H__ */

/* SPDX-License-Identifier: GPL-2.0 */
/* The stats files of vxe_debugfs.c (as xe's xe_debugfs.h). */
#ifndef VXE_DEBUGFS_H
#define VXE_DEBUGFS_H

struct vxe_device;

void vxe_debugfs_init(struct vxe_device *vxe);

#endif

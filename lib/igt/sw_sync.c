// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <errno.h>
#include <sys/ioctl.h>
#include <linux/sync_file.h>

#include "sw_sync.h"

/**
 * sync_fence_status:
 * @fence: a sync_file fd
 *
 * Returns: 1 when the fence signalled without error, 0 while it is pending,
 * the fence's error (negative) when it signalled with one, or -errno when
 * @fence is no sync_file.
 */
int sync_fence_status(int fence)
{
	struct sync_file_info info = {};

	if (ioctl(fence, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_PM_HOLD_H
#define IGT_PM_HOLD_H

int __igt_pm_hold_awake(const char *sysfs_dev);
void igt_pm_hold_awake(const char *sysfs_dev);

#endif /* IGT_PM_HOLD_H */

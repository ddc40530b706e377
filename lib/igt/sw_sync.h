/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Sync-file queries: the subset of upstream IGT's lib/sw_sync.h the tests
 * use, same names and semantics.
 */

#ifndef SW_SYNC_H
#define SW_SYNC_H

int sync_fence_status(int fence);

#endif /* SW_SYNC_H */

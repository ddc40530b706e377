/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 */

#ifndef IGT_MEET_H
#define IGT_MEET_H

#include <stdbool.h>

struct igt_meet;

struct igt_meet *igt_meet_new(unsigned int n);
void igt_meet_free(struct igt_meet *m);
bool __igt_meet(struct igt_meet *m, unsigned int timeout_s);
void igt_meet(struct igt_meet *m, unsigned int timeout_s, const char *where);

#endif /* IGT_MEET_H */

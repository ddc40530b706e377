/* SPDX-License-Identifier: MIT */
/* Copyright © 2026 igt-shrink authors */

#ifndef IGT_UWILDMAT_H
#define IGT_UWILDMAT_H

#include <stdbool.h>

bool uwildmat(const char *text, const char *pattern);

#endif /* IGT_UWILDMAT_H */

/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Fixture trees for the memory helpers' unit tests: a temporary directory
 * standing in for "/", with the /proc and /sys files a test needs.
 */

#ifndef SHRINK_FIXTURE_H
#define SHRINK_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void fixture_mkdirs(const char *root, const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s%s", root, path);
	for (char *p = buf + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

/* Writes @text to root/@path, creating the directories on the way */
static inline void fixture_write(const char *root, const char *path, const char *text)
{
	char dir[512], file[512];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	fixture_mkdirs(root, dir);
	snprintf(file, sizeof(file), "%s%s", root, path);
	f = fopen(file, "w");
	if (!f) {
		perror(file);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static inline char *fixture_read(const char *root, const char *path)
{
	static char buf[4096];
	char file[512];
	size_t n;
	FILE *f;

	snprintf(file, sizeof(file), "%s%s", root, path);
	f = fopen(file, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static inline char *fixture_root(void)
{
	char *root = strdup("/tmp/igt-shrink-fixture-XXXXXX");

	if (!root || !mkdtemp(root)) {
		perror("mkdtemp");
		exit(2);
	}
	return root;
}

static inline void fixture_cleanup(const char *root)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", root);
}

#endif /* SHRINK_FIXTURE_H */

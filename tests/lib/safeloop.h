/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loop devices for tests, and the proof that a test only ever writes to a loop
 * device it created itself over a file it created itself. Every test that
 * writes to a block device calls safeloop_assert_own() first; it aborts the
 * test program otherwise. Never point a test at a host disk.
 */
#ifndef TABULA_SAFELOOP_H
#define TABULA_SAFELOOP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct safeloop {
	char dir[PATH_MAX];	/* the test's own directory */
	char file[PATH_MAX];	/* backing file, inside dir */
	char dev[64];		/* /dev/loopN */
	dev_t file_dev;		/* identity of the backing file */
	ino_t file_ino;
	bool attached;
};

/* Can this process create loop devices? (root, /dev/loop-control). */
bool safeloop_available(const char **why);

/*
 * Create a sparse file of @size bytes in a fresh directory and attach it to a
 * free loop device with logical block size @sector. Returns 0 or -errno.
 */
int safeloop_create(struct safeloop *l, uint64_t size, unsigned sector);

/* Abort unless @path is l->dev, a loop device backed by exactly l->file. */
void safeloop_assert_own(const struct safeloop *l, const char *path);

/* Detach, delete the file and the directory. */
void safeloop_destroy(struct safeloop *l);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole files in and out: written atomically, read at once. */
#include "config.h"

#include "certs/pdf.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Write @len bytes to a new temporary file beside @path, synced; its name
 * into @tmp. The name is random and the file must not exist: whoever can
 * write the folder cannot plant a link there for the write to follow.
 */
static int write_tmp(const char *path, const void *p, size_t len, char *tmp, size_t tmplen)
{
	size_t off = 0;
	int fd = -1, rc = 0, n, tries;

	for (tries = 0; fd < 0 && tries < 16; tries++) {
		uint64_t r;

		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -EIO;
		n = snprintf(tmp, tmplen, "%s.tmp.%016" PRIx64, path, r);
		if (n < 0 || (size_t)n >= tmplen)
			return -ENAMETOOLONG;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	while (off < len) {
		ssize_t w = write(fd, (const char *)p + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)w;
	}
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

int cert_write_file(const char *path, const void *p, size_t len)
{
	char tmp[4096];
	int rc = write_tmp(path, p, len, tmp, sizeof(tmp));

	if (!rc && rename(tmp, path) < 0) {
		rc = -errno;
		unlink(tmp);
	}
	return rc;
}

/* Does @path hold exactly @len bytes @p? */
static bool holds(const char *path, const void *p, size_t len)
{
	char *have = NULL;
	size_t n = 0;
	bool same = cert_read_file(path, &have, &n) == 0 && n == len && !memcmp(have, p, len);

	free(have);
	return same;
}

int cert_write_file_new(const char *path, const void *p, size_t len)
{
	char tmp[4096];
	int rc = write_tmp(path, p, len, tmp, sizeof(tmp));

	if (rc)
		return rc;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	rc = -errno;
	if (rc == -EINVAL || rc == -ENOSYS) {
		/* A filesystem without the flag: look first (the station is its only writer). */
		struct stat st;

		if (lstat(path, &st) < 0 && errno == ENOENT)
			rc = rename(tmp, path) < 0 ? -errno : 0;
		else
			rc = -EEXIST;
	}
	if (rc == -EEXIST && holds(path, p, len))
		rc = 0;
	if (rc || access(tmp, F_OK) == 0)
		unlink(tmp);
	return rc;
}

int cert_read_file(const char *path, char **out, size_t *len)
{
	struct stat st;
	char *buf;
	size_t off = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + off, (size_t)st.st_size - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)r;
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[off] = '\0';
	*out = buf;
	*len = off;
	return 0;
}

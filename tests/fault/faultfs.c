/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * faultfs: a FUSE filesystem with two files, "disk" (a medium of a given
 * size, stored in a sparse backing file) and "ctl" (read: the faults and
 * counters; write: commands that change the faults). A loop device attached
 * over MOUNT/disk gives the erase engine a block device that fails exactly
 * where and when a test says. Every file is opened direct_io, so each request
 * the loop driver makes reaches this daemon, never a page cache.
 *
 *   faultfs --backing FILE --size N [FAULTS] MOUNTPOINT [-f] [-o OPT]
 */
#include "config.h"

#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fault/fault.h"

#define CTL_MAX 4096

struct faultfs {
	int fd;			/* the backing file */
	uint64_t size;		/* bytes of the medium */
	struct fault_state faults;
};

/* The daemon's state, handed to fuse_main(). */
static struct faultfs *fs_of(void)
{
	return fuse_get_context()->private_data;
}

enum fs_node { NODE_NONE, NODE_ROOT, NODE_DISK, NODE_CTL };

/* Which of our nodes @path names. */
static enum fs_node which(const char *path)
{
	if (strcmp(path, "/") == 0)
		return NODE_ROOT;
	if (strcmp(path, "/disk") == 0)
		return NODE_DISK;
	if (strcmp(path, "/ctl") == 0)
		return NODE_CTL;
	return NODE_NONE;
}

/* Every request bypasses the kernel's caches; attributes are not cached either. */
static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->direct_io = 1;
	cfg->kernel_cache = 0;
	cfg->attr_timeout = 0;
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	return fuse_get_context()->private_data;
}

/* Attributes of the root, the medium and the control file. */
static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	switch (which(path)) {
	case NODE_ROOT:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	case NODE_DISK:
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		st->st_size = (off_t)fs_of()->size;
		st->st_blocks = st->st_size / 512;
		return 0;
	case NODE_CTL:
		/* Size 0 with direct_io: readers read until a short read, like /proc. */
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		return 0;
	case NODE_NONE:
		break;
	}
	return -ENOENT;
}

/* List the two files. */
static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	if (which(path) != NODE_ROOT)
		return -ENOTDIR;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "disk", NULL, 0, 0);
	fill(buf, "ctl", NULL, 0, 0);
	return 0;
}

/* Open either file direct_io; a vanished medium cannot be opened. */
static int fs_open(const char *path, struct fuse_file_info *fi)
{
	enum fs_node n = which(path);

	if (n == NODE_ROOT || n == NODE_NONE)
		return n == NODE_ROOT ? -EISDIR : -ENOENT;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return n == NODE_DISK ? fault_open(&fs_of()->faults) : 0;
}

/* Sizes never change: only the control file's O_TRUNC is accepted. */
static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)fi;
	if (which(path) == NODE_CTL)
		return 0;
	if (which(path) == NODE_DISK)
		return (uint64_t)size == fs_of()->size ? 0 : -EPERM;
	return -ENOENT;
}

/* Read the medium (through the fault model) or the control file's status. */
static int fs_read(const char *path, char *buf, size_t len, off_t off, struct fuse_file_info *fi)
{
	struct faultfs *fs = fs_of();
	ssize_t n;
	int rc;

	(void)fi;
	if (which(path) == NODE_CTL) {
		char st[CTL_MAX];
		size_t sl = fault_status(&fs->faults, st, sizeof(st));

		if ((uint64_t)off >= sl)
			return 0;
		if (len > sl - (size_t)off)
			len = sl - (size_t)off;
		memcpy(buf, st + off, len);
		return (int)len;
	}
	if (off < 0 || (uint64_t)off >= fs->size)
		return 0;
	if (len > fs->size - (uint64_t)off)
		len = (size_t)(fs->size - (uint64_t)off);
	rc = fault_read_begin(&fs->faults, (uint64_t)off, len);
	if (rc < 0)
		return rc;
	n = pread(fs->fd, buf, len, off);
	if (n < 0)
		return -errno;
	/* A sparse hole past the backing file's end reads as zeros. */
	if ((size_t)n < len)
		memset(buf + n, 0, len - (size_t)n);
	fault_read_end(&fs->faults, len);
	return (int)len;
}

/* Store @len bytes at @off in the backing file, all of them or fail. */
static int store(int fd, const char *buf, size_t len, uint64_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Apply control commands, one per line. */
static int ctl_write(struct faultfs *fs, const char *buf, size_t len)
{
	char line[256], err[256];
	size_t i = 0;

	while (i < len) {
		size_t j = i, n;

		while (j < len && buf[j] != '\n')
			j++;
		n = j - i < sizeof(line) - 1 ? j - i : sizeof(line) - 1;
		memcpy(line, buf + i, n);
		line[n] = '\0';
		if (strspn(line, " \t") != n && fault_command(&fs->faults, line, err, sizeof(err)) < 0) {
			fprintf(stderr, "faultfs: ctl: %s\n", err);
			return -EINVAL;
		}
		i = j + 1;
	}
	return (int)len;
}

/* Write the medium through the fault model, or a command to the control file. */
static int fs_write(const char *path, const char *buf, size_t len, off_t off,
		    struct fuse_file_info *fi)
{
	struct faultfs *fs = fs_of();
	uint64_t lo, hi, o = (uint64_t)off;
	int rc;

	(void)fi;
	if (which(path) == NODE_CTL)
		return ctl_write(fs, buf, len);
	if (off < 0 || o >= fs->size)
		return -ENOSPC;
	if (len > fs->size - o)
		len = (size_t)(fs->size - o);
	rc = fault_write_begin(&fs->faults, o, len, &lo, &hi);
	if (rc < 0)
		return rc;
	if (lo < hi) {
		/* Store what lies around the dropped range; claim all of it was stored. */
		rc = store(fs->fd, buf, (size_t)(lo - o), o);
		if (rc == 0)
			rc = store(fs->fd, buf + (hi - o), (size_t)(o + len - hi), hi);
	} else {
		rc = store(fs->fd, buf, len, o);
	}
	if (rc < 0)
		return rc;
	fault_write_end(&fs->faults, len, (size_t)(hi - lo));
	return (int)len;
}

/* The loop driver's cache flush arrives here. */
static int fs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)datasync;
	(void)fi;
	if (which(path) != NODE_DISK)
		return 0;
	/* The backing file is test data: its own durability does not matter. */
	return fault_flush(&fs_of()->faults);
}

static const struct fuse_operations faultfs_ops = {
	.init = fs_init,
	.getattr = fs_getattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.truncate = fs_truncate,
	.read = fs_read,
	.write = fs_write,
	.fsync = fs_fsync,
};

/* Print the usage. */
static void usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s --backing FILE --size N [FAULTS] MOUNTPOINT [FUSE OPTIONS]\n\n"
		   "Serve MOUNTPOINT/disk (N bytes, stored sparsely in FILE) and MOUNTPOINT/ctl.\n"
		   "FAULTS, also accepted one per line by writing to ctl:\n"
		   "  --write-eio RANGE     writes touching RANGE fail with EIO\n"
		   "  --read-eio RANGE      reads touching RANGE fail with EIO\n"
		   "  --drop-writes RANGE   writes succeed but bytes in RANGE are not stored\n"
		   "  --delay-ms N          every read and write stalls N ms\n"
		   "  --flush-eio           fsync (the loop's cache flush) fails with EIO\n"
		   "  --vanish-after BYTES  every request fails once BYTES were written\n"
		   "  --vanish-after-read BYTES   ... once BYTES were read\n"
		   "  --vanish-errno E      the errno of a vanished medium (ENODEV, EIO, ENXIO)\n"
		   "  --pause-after BYTES   hold every request once BYTES were written, until\n"
		   "                        'resume' is written to ctl\n"
		   "  --pause-after-read BYTES    ... once BYTES were read\n"
		   "RANGE is LO-HI (HI exclusive) or LO+LEN; sizes take K, M, G.\n"
		   "ctl also takes: vanish, resume, clear.\n", prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backing", required_argument, NULL, 'b' },
		{ "size", required_argument, NULL, 's' },
		{ "write-eio", required_argument, NULL, 'F' },
		{ "read-eio", required_argument, NULL, 'F' },
		{ "drop-writes", required_argument, NULL, 'F' },
		{ "delay-ms", required_argument, NULL, 'F' },
		{ "flush-eio", no_argument, NULL, 'F' },
		{ "vanish-after", required_argument, NULL, 'F' },
		{ "vanish-errno", required_argument, NULL, 'F' },
		{ "vanish-after-read", required_argument, NULL, 'F' },
		{ "pause-after", required_argument, NULL, 'F' },
		{ "pause-after-read", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct faultfs fs;
	const char *backing = NULL;
	char **fargv = NULL, err[256], line[160];
	int c, li, i, fargc, rc = 2;

	memset(&fs, 0, sizeof(fs));
	fs.fd = -1;
	if (fault_init(&fs.faults) < 0)
		return 1;
	/* "+": stop at the mount point; what follows belongs to FUSE. */
	while ((c = getopt_long(argc, argv, "+h", opts, &li)) != -1) {
		switch (c) {
		case 'b':
			backing = optarg;
			break;
		case 's': {
			char *end;

			fs.size = strtoull(optarg, &end, 0);
			switch (*end) {
			case 'k': case 'K': fs.size <<= 10; end++; break;
			case 'm': case 'M': fs.size <<= 20; end++; break;
			case 'g': case 'G': fs.size <<= 30; end++; break;
			}
			if (*end != '\0' || fs.size == 0) {
				fprintf(stderr, "faultfs: --size: expected a size, not '%s'\n", optarg);
				goto out;
			}
			break;
		}
		case 'F':
			if (snprintf(line, sizeof(line), "%s %s", opts[li].name,
				     optarg ? optarg : "") >= (int)sizeof(line) ||
			    fault_command(&fs.faults, line, err, sizeof(err)) < 0) {
				fprintf(stderr, "faultfs: --%s\n", err[0] ? err : opts[li].name);
				goto out;
			}
			break;
		case 'h':
			usage(stdout, argv[0]);
			rc = 0;
			goto out;
		default:
			usage(stderr, argv[0]);
			goto out;
		}
	}
	if (backing == NULL || fs.size == 0 || optind >= argc) {
		usage(stderr, argv[0]);
		goto out;
	}
	fs.fd = open(backing, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fs.fd < 0 || ftruncate(fs.fd, (off_t)fs.size) < 0) {
		fprintf(stderr, "faultfs: %s: %s\n", backing, strerror(errno));
		rc = 1;
		goto out;
	}
	/* FUSE sees: argv[0], then everything from the mount point on. */
	fargc = 1 + argc - optind;
	fargv = calloc((size_t)fargc + 1, sizeof(*fargv));
	if (fargv == NULL) {
		rc = 1;
		goto out;
	}
	fargv[0] = argv[0];
	for (i = optind; i < argc; i++)
		fargv[1 + i - optind] = argv[i];
	rc = fuse_main(fargc, fargv, &faultfs_ops, &fs);
out:
	free(fargv);
	if (fs.fd >= 0)
		close(fs.fd);
	fault_done(&fs.faults);
	return rc;
}

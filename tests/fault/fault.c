/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fault model of faultfs: what each request meets, and the commands that change it. */
#include "config.h"

#include "tests/fault/fault.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int fault_init(struct fault_state *f)
{
	memset(f, 0, sizeof(*f));
	f->vanish_errno = ENODEV;
	if (pthread_mutex_init(&f->lock, NULL) != 0)
		return -ENOMEM;
	if (pthread_cond_init(&f->resumed, NULL) != 0) {
		pthread_mutex_destroy(&f->lock);
		return -ENOMEM;
	}
	return 0;
}

void fault_done(struct fault_state *f)
{
	if (f == NULL)
		return;
	pthread_cond_destroy(&f->resumed);
	pthread_mutex_destroy(&f->lock);
}

/* Parse a byte count with an optional K, M or G (binary) suffix. */
static int parse_bytes(const char *s, const char **end, uint64_t *out)
{
	unsigned long long v;
	char *e;

	errno = 0;
	v = strtoull(s, &e, 0);
	if (errno || e == s || *s == '-')
		return -EINVAL;
	switch (*e) {
	case 'k': case 'K': v <<= 10; e++; break;
	case 'm': case 'M': v <<= 20; e++; break;
	case 'g': case 'G': v <<= 30; e++; break;
	}
	*out = v;
	*end = e;
	return 0;
}

/* Parse "LO-HI", "LO+LEN" or "off" into @r. */
static int parse_range(const char *s, struct fault_range *r)
{
	const char *e;
	uint64_t lo, x;

	if (strcmp(s, "off") == 0) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	if (parse_bytes(s, &e, &lo) < 0 || (*e != '-' && *e != '+'))
		return -EINVAL;
	if (parse_bytes(e + 1, &s, &x) < 0 || *s != '\0')
		return -EINVAL;
	if (*e == '+')
		x += lo;
	if (x <= lo)
		return -EINVAL;
	r->on = true;
	r->lo = lo;
	r->hi = x;
	return 0;
}

/* Parse an errno name or number. */
static int parse_errno(const char *s, int *out)
{
	static const struct {
		const char *name;
		int e;
	} names[] = {
		{ "ENODEV", ENODEV }, { "EIO", EIO }, { "ENXIO", ENXIO }, { "ENOTCONN", ENOTCONN },
		{ "ENOMEDIUM", ENOMEDIUM },
	};
	size_t i;
	char *e;
	long v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].e;
			return 0;
		}
	v = strtol(s, &e, 10);
	if (e == s || *e != '\0' || v <= 0 || v > 4095)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* Does [off, off + len) touch @r? */
static bool touches(const struct fault_range *r, uint64_t off, size_t len)
{
	return r->on && off < r->hi && off + len > r->lo;
}

/* Stall one request as configured, without holding the lock while asleep. */
static void stall(struct fault_state *f)
{
	struct timespec ts;
	unsigned ms;

	pthread_mutex_lock(&f->lock);
	ms = f->delay_ms;
	if (ms)
		f->delayed++;
	pthread_mutex_unlock(&f->lock);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (ms && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Under the lock: has @t fired? */
static bool fired(const struct fault_state *f, const struct fault_trigger *t)
{
	return t->on && (t->reads ? f->read : f->written) >= t->at;
}

/* Under the lock: hold the request while a pause lasts. */
static void hold(struct fault_state *f)
{
	if (fired(f, &f->pause_at) && !f->vanished) {
		f->paused = true;
		f->pause_at.on = false;
	}
	if (!f->paused)
		return;
	f->held++;
	while (f->paused)
		pthread_cond_wait(&f->resumed, &f->lock);
	f->held--;
}

/* Under the lock: should the medium vanish now? Fail with its errno if so. */
static int vanish_check(struct fault_state *f)
{
	if (fired(f, &f->vanish_at))
		f->vanished = true;
	if (f->vanished) {
		f->vanish_errors++;
		return -f->vanish_errno;
	}
	return 0;
}

int fault_write_begin(struct fault_state *f, uint64_t off, size_t len, uint64_t *skip_lo,
		      uint64_t *skip_hi)
{
	int rc;

	*skip_lo = *skip_hi = 0;
	stall(f);

	pthread_mutex_lock(&f->lock);
	hold(f);
	rc = vanish_check(f);
	if (rc == 0 && touches(&f->write_eio, off, len)) {
		f->write_errors++;
		rc = -EIO;
	}
	if (rc == 0 && touches(&f->drop, off, len)) {
		*skip_lo = off > f->drop.lo ? off : f->drop.lo;
		*skip_hi = off + len < f->drop.hi ? off + len : f->drop.hi;
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

void fault_write_end(struct fault_state *f, size_t len, size_t dropped)
{
	pthread_mutex_lock(&f->lock);
	f->written += len;
	f->dropped += dropped;
	pthread_mutex_unlock(&f->lock);
}

int fault_read_begin(struct fault_state *f, uint64_t off, size_t len)
{
	int rc;

	stall(f);

	pthread_mutex_lock(&f->lock);
	hold(f);
	rc = vanish_check(f);
	if (rc == 0 && touches(&f->read_eio, off, len)) {
		f->read_errors++;
		rc = -EIO;
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

void fault_read_end(struct fault_state *f, size_t len)
{
	pthread_mutex_lock(&f->lock);
	f->read += len;
	pthread_mutex_unlock(&f->lock);
}

int fault_flush(struct fault_state *f)
{
	int rc;

	pthread_mutex_lock(&f->lock);
	rc = vanish_check(f);
	if (rc == 0 && f->flush_eio) {
		f->flush_errors++;
		rc = -EIO;
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

int fault_open(struct fault_state *f)
{
	int rc;

	pthread_mutex_lock(&f->lock);
	rc = f->vanished ? -f->vanish_errno : 0;
	pthread_mutex_unlock(&f->lock);
	return rc;
}

/* Under the lock: apply command @cmd with argument @arg (may be ""). */
static int apply(struct fault_state *f, const char *cmd, const char *arg, char *err, size_t errlen)
{
	const char *end;
	uint64_t v;

	if (strcmp(cmd, "write-eio") == 0 || strcmp(cmd, "read-eio") == 0 ||
	    strcmp(cmd, "drop-writes") == 0) {
		struct fault_range *r = cmd[0] == 'w' ? &f->write_eio :
					cmd[0] == 'r' ? &f->read_eio : &f->drop;

		if (parse_range(arg, r) == 0)
			return 0;
		snprintf(err, errlen, "%s: expected LO-HI, LO+LEN or off, not '%s'", cmd, arg);
		return -EINVAL;
	}
	if (strcmp(cmd, "delay-ms") == 0) {
		if (parse_bytes(arg, &end, &v) < 0 || *end != '\0' || v > 60000) {
			snprintf(err, errlen, "delay-ms: expected 0 to 60000, not '%s'", arg);
			return -EINVAL;
		}
		f->delay_ms = (unsigned)v;
		return 0;
	}
	if (strcmp(cmd, "vanish-after") == 0 || strcmp(cmd, "vanish-after-read") == 0 ||
	    strcmp(cmd, "pause-after") == 0 || strcmp(cmd, "pause-after-read") == 0) {
		struct fault_trigger *t = cmd[0] == 'v' ? &f->vanish_at : &f->pause_at;
		bool reads = strstr(cmd, "-read") != NULL;

		if (parse_bytes(arg, &end, &v) < 0 || *end != '\0') {
			snprintf(err, errlen, "%s: expected a number of bytes, not '%s'", cmd, arg);
			return -EINVAL;
		}
		/* Counted from now, so a running daemon can be told "after N more bytes". */
		t->on = true;
		t->reads = reads;
		t->at = (reads ? f->read : f->written) + v;
		return 0;
	}
	if (strcmp(cmd, "flush-eio") == 0) {
		if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0 && arg[0] != '\0') {
			snprintf(err, errlen, "flush-eio: expected on or off, not '%s'", arg);
			return -EINVAL;
		}
		f->flush_eio = strcmp(arg, "off") != 0;
		return 0;
	}
	if (strcmp(cmd, "vanish-errno") == 0) {
		if (parse_errno(arg, &f->vanish_errno) == 0)
			return 0;
		snprintf(err, errlen, "vanish-errno: expected ENODEV, EIO, ENXIO or a number, not '%s'",
			 arg);
		return -EINVAL;
	}
	if (strcmp(cmd, "vanish") != 0 && strcmp(cmd, "resume") != 0 && strcmp(cmd, "clear") != 0) {
		snprintf(err, errlen, "unknown command '%s'", cmd);
		return -EINVAL;
	}
	if (arg[0] != '\0') {
		snprintf(err, errlen, "%s takes no argument", cmd);
		return -EINVAL;
	}
	if (strcmp(cmd, "vanish") == 0) {
		f->vanished = true;
	} else if (strcmp(cmd, "resume") == 0) {
		f->paused = false;
		f->pause_at.on = false;
		pthread_cond_broadcast(&f->resumed);
	} else if (strcmp(cmd, "clear") == 0) {
		memset(&f->write_eio, 0, sizeof(f->write_eio));
		memset(&f->read_eio, 0, sizeof(f->read_eio));
		memset(&f->drop, 0, sizeof(f->drop));
		f->delay_ms = 0;
		f->flush_eio = false;
		f->vanished = false;
		f->vanish_errno = ENODEV;
		memset(&f->vanish_at, 0, sizeof(f->vanish_at));
		memset(&f->pause_at, 0, sizeof(f->pause_at));
		f->paused = false;
		pthread_cond_broadcast(&f->resumed);
	}
	return 0;
}

int fault_command(struct fault_state *f, const char *line, char *err, size_t errlen)
{
	char cmd[32], arg[96];
	int rc, n;

	err[0] = '\0';
	arg[0] = '\0';
	n = sscanf(line, " %31s %95s", cmd, arg);
	if (n < 1) {
		snprintf(err, errlen, "empty command");
		return -EINVAL;
	}
	pthread_mutex_lock(&f->lock);
	rc = apply(f, cmd, arg, err, errlen);
	pthread_mutex_unlock(&f->lock);
	return rc;
}

/* "written N", "read N" or "off" for the status. */
static const char *trigger_str(const struct fault_trigger *t, char *buf, size_t len)
{
	if (!t->on)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "%s-%" PRIu64, t->reads ? "read" : "written", t->at);
	return buf;
}

/* "LO-HI" or "off" for the status. */
static const char *range_str(const struct fault_range *r, char *buf, size_t len)
{
	if (!r->on)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "%" PRIu64 "-%" PRIu64, r->lo, r->hi);
	return buf;
}

size_t fault_status(struct fault_state *f, char *buf, size_t len)
{
	char we[48], re[48], dr[48], va[48], pa[48];
	int n;

	pthread_mutex_lock(&f->lock);
	n = snprintf(buf, len,
		     "write-eio %s\nread-eio %s\ndrop-writes %s\ndelay-ms %u\nflush-eio %s\n"
		     "vanished %d\nvanish-errno %d\nvanish-at %s\npause-at %s\n"
		     "paused %d\nheld %" PRIu64 "\nwritten %" PRIu64 "\nread %" PRIu64 "\n"
		     "dropped %" PRIu64 "\ndelayed %" PRIu64 "\nwrite-errors %" PRIu64 "\n"
		     "read-errors %" PRIu64 "\nflush-errors %" PRIu64 "\nvanish-errors %" PRIu64 "\n",
		     range_str(&f->write_eio, we, sizeof(we)), range_str(&f->read_eio, re, sizeof(re)),
		     range_str(&f->drop, dr, sizeof(dr)), f->delay_ms, f->flush_eio ? "on" : "off",
		     f->vanished, f->vanish_errno, trigger_str(&f->vanish_at, va, sizeof(va)),
		     trigger_str(&f->pause_at, pa, sizeof(pa)), f->paused,
		     f->held, f->written, f->read, f->dropped, f->delayed, f->write_errors, f->read_errors,
		     f->flush_errors, f->vanish_errors);
	pthread_mutex_unlock(&f->lock);
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

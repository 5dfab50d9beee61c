/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fault model of faultfs: byte ranges whose writes or reads fail, writes
 * that are acknowledged but never stored, a stall per request, a cache flush
 * that fails, and a medium that vanishes (every request fails from a given
 * moment on, as when a stick is pulled). Set from the command line, changed
 * at run time through the control file; every request asks it what to do.
 */
#ifndef TAB_FAULT_H
#define TAB_FAULT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A byte range [lo, hi) that is either active or not. */
struct fault_range {
	bool on;
	uint64_t lo, hi;
};

/* A moment counted in bytes moved: "after N more bytes written" (or read). */
struct fault_trigger {
	bool on;
	bool reads;			/* count bytes read, not bytes written */
	uint64_t at;			/* the counter's value that fires it */
};

struct fault_state {
	pthread_mutex_t lock;
	pthread_cond_t resumed;		/* signalled when "resume" releases held writes */

	struct fault_range write_eio;	/* writes touching it fail with EIO */
	struct fault_range read_eio;	/* reads touching it fail with EIO */
	struct fault_range drop;	/* writes succeed, but these bytes are not stored */
	unsigned delay_ms;		/* every data request stalls this long */
	bool flush_eio;			/* fsync fails with EIO */
	bool vanished;			/* every data request fails with vanish_errno */
	int vanish_errno;		/* positive errno; ENODEV by default */
	struct fault_trigger vanish_at;	/* vanish then */
	struct fault_trigger pause_at;	/* hold every data request then, until "resume" */
	bool paused;

	/* Counters, shown by the control file. */
	uint64_t written;		/* bytes acknowledged to writers (dropped ones too) */
	uint64_t read;			/* bytes returned to readers */
	uint64_t write_errors, read_errors, flush_errors, vanish_errors;
	uint64_t dropped;		/* bytes acknowledged but not stored */
	uint64_t delayed;		/* requests that stalled for delay_ms */
	uint64_t held;			/* requests waiting in a pause right now */
};

/* Set up @f with no fault active. Returns 0 or -errno. */
int fault_init(struct fault_state *f);

/* Release what fault_init() set up. */
void fault_done(struct fault_state *f);

/*
 * Apply one command, the same words on the command line and in the control
 * file: "write-eio RANGE|off", "read-eio RANGE|off", "drop-writes RANGE|off",
 * "delay-ms N", "flush-eio on|off", "vanish", "vanish-after[-read] BYTES",
 * "vanish-errno ENODEV|EIO|ENXIO|N", "pause-after[-read] BYTES", "resume",
 * "clear" (everything back to the defaults; the counters keep counting). RANGE is "LO-HI" (HI exclusive) or "LO+LEN", sizes with an
 * optional K/M/G; the BYTES of the -after commands count bytes written (or
 * read) from the command on.
 * Returns 0, or -EINVAL with the reason in @err.
 */
int fault_command(struct fault_state *f, const char *line, char *err, size_t errlen);

/*
 * Ask before writing @len bytes at @off; may stall (delay, pause). Returns
 * -errno to fail the request, or 0 to go ahead, storing everything except
 * [*skip_lo, *skip_hi) (empty when equal), which is silently dropped.
 */
int fault_write_begin(struct fault_state *f, uint64_t off, size_t len, uint64_t *skip_lo,
		      uint64_t *skip_hi);

/* Account a finished write of @len bytes of which @dropped were not stored. */
void fault_write_end(struct fault_state *f, size_t len, size_t dropped);

/* Ask before reading @len bytes at @off; may stall (delay, pause). Returns 0 or -errno. */
int fault_read_begin(struct fault_state *f, uint64_t off, size_t len);

/* Account @len bytes returned to a reader. */
void fault_read_end(struct fault_state *f, size_t len);

/* Ask before a cache flush (fsync). Returns 0 or -errno. */
int fault_flush(struct fault_state *f);

/* Ask before opening the medium. Returns 0 or -errno once it vanished. */
int fault_open(struct fault_state *f);

/*
 * Render the configuration and counters as "key value" lines into @buf.
 * Returns the length written (truncated to @len - 1).
 */
size_t fault_status(struct fault_state *f, char *buf, size_t len);

#endif

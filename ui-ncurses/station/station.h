/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The station's model and logic, apart from its screens: the application
 * state, the configuration, the media list, the jobs (run through the
 * engine's runner, wiper/run.h), the certificate bridge, printing, the
 * records medium and the text table. Nothing here calls curses, so all of
 * it can be driven and tested without a terminal (tests/unit/test-station.c).
 * Only the UI thread touches this state, except struct ui_job's locked
 * snapshot.
 */
#ifndef UI_NCURSES_STATION_H
#define UI_NCURSES_STATION_H

#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "certs/conf.h"
#include "wiper/job.h"
#include "wiper/medium.h"
#include "wiper/run.h"
#include "wiper/wiper.h"

#define UI_PEOPLE_MAX 32
#define UI_MEDIA_MAX 64
#define UI_JOBS_MAX 64
#define UI_SIM_MEDIA_MAX 4
#define UI_STR 128

enum ui_screen_id { UI_SCR_SESSION, UI_SCR_LIST, UI_SCR_ERASE, UI_SCR_DASH, UI_SCR_CERTS,
		    UI_SCR_RECORDS, UI_SCR_COUNT };

struct ui_app;

/* One person of the station's configuration. */
struct ui_person {
	char name[UI_STR];
	char role[UI_STR];
	bool may_operate;
	bool may_witness;	/* may supervise (监销人) */
	bool may_approve;	/* named by an "approver =" line (审批人) */
};

/* The station configuration (--config FILE). */
struct ui_config {
	char station[64];
	char ledger[512];
	char records[512];	/* the records medium's mount point */
	char lang[8];
	bool require_witness;
	bool ledger_set;	/* "ledger =" was given */
	bool station_set;	/* "station =" was given (else the session asks for one) */
	bool allow_ram_ledger;	/* certificates may go to a ledger in RAM (records_required) */
	struct ui_person people[UI_PEOPLE_MAX];
	size_t npeople;
	unsigned supervisors;	/* "supervisors = 2": the session names a second one */
	/* The record settings (certs/conf.h): levels, rules, time zone, people's details. */
	struct cert_conf rec;
};

/* One medium as the list shows it. */
struct ui_medium {
	struct wiper_medium med;	/* what udev, sysfs and the device say */
	char summary[160];	/* "Clear only: loop device" */
	char content[160];
	bool demo_blocked;	/* --demo: only loop devices are offered */
	bool selected;
	bool busy;		/* a job runs on it */
};

/*
 * What the technician enters for a medium's certificate beside what the
 * station knows (NIST SP 800-88 Appendix G: property number, owner unit,
 * classification, where the medium goes next).
 */
struct ui_record_fields {
	char asset[64];
	char owner[UI_STR];
	char classification[UI_STR];
	char carrier_no[64];		/* carrier number (载体编号) */
	int destination;		/* enum cert_dest (certs/record.h) */
	int64_t job_id;			/* open job in the ledger (certs/journal.h), 0: none */
	/* Fixed when the job starts (ui_job_start): its certificate says these, whoever is on duty later. */
	bool snapshot;
	int operator_idx, witness_idx;	/* into cfg.people (which only ever grows) */
	int supervisor2_idx, approver_idx;
	char approval_ref[UI_STR];
	char pdf_dir[512];
	bool zh;
};

/* One erase (or destruction record) running or finished. */
struct ui_job {
	struct ui_medium m;		/* copied at start, for the dashboard */
	struct ui_record_fields rec;
	struct wiper_run *run;		/* the job, owned (wiper/run.h) */
	struct wiper_job_result *res;	/* the run's result, borrowed */
	atomic_bool cancel;
	bool ledger_on_records;		/* the job was noted in a ledger on the records medium */
	char ledger[512];		/* that ledger's path, copied at start (the UI may change its own) */
	pthread_t thread;
	bool started;
	struct ui_app *app;		/* borrowed, for the wake pipe and the people */
	enum wiper_verify_mode verify;	/* as planned, for the whole job's progress */
	double t0;			/* CLOCK_MONOTONIC seconds when it started */

	pthread_mutex_t lock;		/* guards the fields below */
	struct wiper_progress last;
	bool have_progress;
	bool done;
	double t_end;			/* CLOCK_MONOTONIC seconds when it ended */
	int rc;
	char cert_no[64];
	char cert_err[256];
	bool cert_waiting;		/* done erasing; the records medium is away */
	bool joined;			/* UI thread only */
};

struct ui_app {
	/* Options. */
	bool demo, include_loop;
	char demo_dir[PATH_MAX];	/* --demo-dir: only loop devices backed by files in here */
	const char *config_path;
	const char *ledger_override;
	const char *lang_override;
	const char *records_required;	/* --records-required DIR: the ledger belongs there */
	bool ledger_in_ram;		/* ... and is not there (ledger-place.c) */
	atomic_bool stopping;		/* the station is quitting: held certificates stay open jobs */
	struct ui_config cfg;
	bool zh;

	/* Session. */
	int operator_idx, witness_idx;	/* into cfg.people; -1 none */
	int supervisor2_idx, approver_idx;	/* the second supervisor, the approver; -1 none */
	char approval_ref[UI_STR];	/* the session's approval reference (审批单号) */
	size_t people_configured;	/* people the configuration file named (0: add them here) */
	char hostname[64];

	/* Media. */
	struct ui_medium *media;
	size_t nmedia;
	size_t cursor, top;
	char hotplug_src[16];
	bool rescan_pending;
	struct timespec rescan_at;

	/* Jobs. */
	struct ui_job *jobs[UI_JOBS_MAX];
	size_t njobs;
	size_t job_cursor;

	/* Screens. */
	enum ui_screen_id screen;
	bool quit_asked;		/* "jobs running: quit?" prompt */
	bool help_open;			/* the key help is over the screen */
	/*
	 * A question before an action that ends a job or issues a record
	 * ("" when none): y runs @confirm_yes, any other key cancels it.
	 */
	char confirm[512];
	void (*confirm_yes)(struct ui_app *app, void *arg);
	void *confirm_arg;
	const char *confirm_no;		/* the status line when it is cancelled */
	bool text_entry;		/* a prompt has the keys: letters are text, not commands */
	char status[512];		/* one line above the key bar */
	char printer[128];		/* chosen CUPS queue; "" for the system default */
	int printers;			/* CUPS queues seen by the last lpstat -e; -1 not asked yet */
	char last_cert[64];		/* the certificates screen opens on this one */
	int wake_wr;			/* self-pipe write end (workers, signals) */
	/*
	 * Tests only: open the simulated drive behind @m instead of its node
	 * (NULL: the node itself). The runner still checks it is the medium
	 * shown, and every rule applies as to a real one.
	 */
	struct wiper_dev *(*sim_dev_open)(struct ui_app *app, const struct wiper_medium *m);
	/* Tests only: simulated media appended to every scan (at most @max); how many. */
	size_t (*sim_media)(struct ui_app *app, struct ui_medium *out, size_t max);
	void *sim_arg;
};

/* --- text.c --- */
enum ui_text {
	T_TITLE, T_DEMO, T_SESSION, T_PICK_OPERATOR, T_PICK_WITNESS, T_NO_WITNESS, T_WITNESS_REQUIRED,
	T_STATION, T_LEDGER, T_LEDGER_NONE, T_RECORDS, T_OPERATOR, T_WITNESS, T_NO_PEOPLE,
	T_ADD_PERSON, T_ADD_PERSON_MORE, T_PERSON_BAD, T_PERSON_KEPT, T_PERSON_SESSION_ONLY,
	T_MEDIA, T_NO_MEDIA, T_EXCLUDED, T_SELECTED, T_HOTPLUG,
	T_METHOD, T_VERIFY, T_ASSET, T_CONFIRM, T_PLAN, T_RECOMMENDED, T_CLEAR, T_DESTROY,
	T_TYPE_COUNT, T_WILL_ERASE, T_WRONG_COUNT, T_NOTHING_SELECTED,
	T_DASH, T_PASSED, T_FAILED, T_INCOMPLETE, T_RUNNING, T_FINISHED, T_STARTING, T_CERT, T_NO_CERT,
	T_QUIT_JOBS, T_ADVICE_FROZEN, T_ADVICE_FAILED, T_ADVICE_INCOMPLETE, T_ADVICE_PULLED,
	T_PURGE_SELF, T_VERIFY_NONE, T_VERIFY_LAST, T_VERIFY_ALL, T_VERIFY_SAMPLE, T_DESTROY_TODO,
	T_KEY_MOVE, T_KEY_SELECT, T_KEY_ALL, T_KEY_ERASE, T_KEY_DASH, T_KEY_RESCAN, T_KEY_QUIT,
	T_KEY_OK, T_KEY_BACK, T_KEY_STOP, T_KEY_SKIP, T_KEY_LIST,
	T_CERTS, T_NO_CERTS, T_KEY_CERTS, T_KEY_PRINT, T_KEY_SAVE, T_KEY_PRINTER, T_KEY_REGISTER,
	T_KEY_VIEW, T_KEY_UNFREEZE, T_PRINTER, T_PRINTER_DEFAULT, T_NO_PRINTER, T_SAVED, T_PRINTED,
	T_DESTROY_HOW, T_DESTROY_DETAILS, T_WILL_DESTROY, T_TYPE_COUNT_DESTROY, T_DESTROYED,
	T_FROZEN_SEC, T_FROZEN_SAN, T_UNFREEZE_NO_S3, T_UNFREEZE_JOBS, T_UNFREEZE_NOT_FROZEN,
	T_UNFREEZE_STILL, T_UNFREEZE_DONE, T_UNFREEZE_SUSPENDING, T_KEY_DESTROYED, T_ALREADY_DESTROYED,
	T_DESTROY_CONFIRM,
	T_F_CERT, T_F_RESULT, T_F_REASON, T_F_ENDED, T_F_MEDIUM, T_F_ASSET, T_F_DESTROYED_BY, T_F_DETAILS,
	T_F_METHOD, T_F_VERIFICATION, T_F_OPERATOR, T_F_WITNESS, T_F_STATION, T_F_HASH, T_F_DEST,
	T_COL_NUMBER, T_COL_TIME, T_COL_SERIAL, T_COL_MODEL, T_COL_RESULT, T_COL_METHOD,
	T_COL_DEVICE, T_COL_BUS, T_COL_SIZE, T_ETA, T_NO_MODEL, T_NO_SERIAL,
	/* In the order of enum cert_dest. */
	T_DEST_INTERNAL, T_DEST_EXTERNAL, T_DEST_RECYCLING, T_DEST_DESTRUCTION, T_DEST_MANUFACTURER,
	T_DEST_OTHER,
	T_DEST_STEP, T_DEST_FAILED_NOTE, T_F_OWNER, T_F_CLASSIFICATION, T_F_ASSET_NO,
	T_PRINTING, T_PRINT_BUSY, T_PRINTER_ASKING, T_PERIOD, T_PERIOD_HINT, T_PERIOD_BAD,
	T_RAM_BANNER, T_RAM_ALLOWED, T_RAM_NONE_AT, T_RAM_REFUSED, T_CERT_WAITING, T_DEMO_NOT_OURS,
	T_KEY_DETAILS, T_KEY_REGISTER_PREV, T_KEY_RECORDS_INIT, T_KEY_ADD_PERSON, T_KEY_SESSION,
	T_KEY_HELP, T_HELP_TITLE, T_HELP_CLOSE, T_KEY_NOTHING, T_STOP_ASK, T_STOP_ASK_END,
	T_NOT_STOPPED, T_STOP_SENT, T_JOB_OVER, T_NO_JOB, T_JOB, T_PASS, T_WRITING, T_VERIFYING,
	T_ERRORS, T_DETAILS_TITLE, T_STEPS, T_NO_STEPS, T_PASSES, T_DETAILS_CLOSE, T_NO_PRINTER_HINT,
	T_PRINTER_NONE, T_STATION_ASK, T_STATION_BAD, T_STATION_KEPT, T_SEED, T_STATION_UNSET, T_KEY_STATION, T_STATION_FROM_CHAIN, T_PRINTER_NEXT,
	T_PICK_SUPERVISOR2, T_PICK_APPROVER, T_APPROVAL_REF, T_APPROVAL_REQUIRED, T_F_CARRIER,
	T_SUPERVISOR2, T_APPROVER, T_F_APPROVAL,
	T_COUNT
};
/* The text for @t in the session's language. */
const char *ui_t(const struct ui_app *app, enum ui_text t);
/* The words for destination @d (enum cert_dest). */
const char *ui_dest_text(const struct ui_app *app, int d);
/*
 * A value stored or reported in English (result, method, technique, media
 * type) as the station shows it: Chinese from certs/glossary.h when the
 * language is zh. ui_vs: an engine sentence, its known terms translated
 * into @buf (the engine's messages are mapped here, not translated there).
 */
const char *ui_v(const struct ui_app *app, const char *en);
const char *ui_vs(const struct ui_app *app, const char *en, char *buf, size_t len);

/* --- config.c --- */
/* Read @path into @cfg. Returns 0, or -errno / -EINVAL with the reason in @err. */
int ui_config_load(const char *path, struct ui_config *cfg, char *err, size_t errlen);
/* Defaults: station name from the host, ledger in /var/lib/tabula. */
void ui_config_defaults(struct ui_config *cfg);
/*
 * Add a person from "Name, Role" who may operate and witness. 0, or -EINVAL
 * (no name, a control character or '#', too long) / -E2BIG (list full).
 */
int ui_config_add_person(struct ui_config *cfg, const char *val);
/*
 * Append "person = @val" to the configuration file @path (created 0644 if
 * missing), synced to the medium. 0 or -errno with the reason in @err.
 */
int ui_config_append_person(const char *path, const char *val, char *err, size_t errlen);
/* As ui_config_append_person, for "station = @val". */
int ui_config_append_station(const char *path, const char *val, char *err, size_t errlen);
/*
 * Set the station name @val (the rule certificates follow: letters,
 * digits, '-', '_', '.'), as "station =" would. 0 or -EINVAL.
 */
int ui_config_set_station(struct ui_config *cfg, const char *val);

/* --- ledger-place.c --- */
/*
 * With --records-required DIR: is the ledger away from the records medium
 * mounted at DIR, i.e. in RAM? Updates app->ledger_in_ram; returns true when
 * that changed (redraw). Cheap enough for every turn of the loop.
 */
bool ui_ledger_check(struct ui_app *app);
/*
 * Before anything issues a certificate: true (with the reason on the status
 * line) when the ledger is in RAM and the configuration does not allow it.
 */
bool ui_ledger_refuse(struct ui_app *app);
/*
 * With --records-required DIR: is the ledger at @ledger on the records
 * medium mounted at DIR? (True without --records-required.) No side
 * effects: job threads call it while the records medium is away, to hold a
 * certificate back.
 */
bool ui_ledger_on_records(const struct ui_app *app, const char *ledger);

/* --- media.c --- */
/* Rescan every medium, keeping selections. Returns the count or -errno. */
int ui_media_rescan(struct ui_app *app);
/*
 * Where the cursor goes when the list @old (cursor at @cursor) becomes @nm:
 * onto the same medium (device name and size), else the same row within
 * the new list.
 */
size_t ui_media_follow(const struct ui_medium *old, size_t nold, size_t cursor,
		       const struct ui_medium *nm, size_t n);
/* Can @m be selected for erasure? */
bool ui_medium_erasable(const struct ui_medium *m);
/* The model, or for a loop device "file NAME" of its backing file, into @buf. */
const char *ui_medium_model(const struct ui_medium *m, char *buf, size_t len);
void ui_media_free(struct ui_app *app);

/* --- jobs.c --- */
/* Start one job on @m. @method is NULL for "purge where supported, else clear". */
int ui_job_start(struct ui_app *app, const struct ui_medium *m, const struct wiper_method *method,
		 bool recommended, enum wiper_verify_mode verify,
		 const struct ui_record_fields *rec, char *err, size_t errlen);
/* Join finished workers. */
void ui_jobs_reap(struct ui_app *app);
size_t ui_jobs_running(struct ui_app *app);
/*
 * The jobs in the order the dashboard lists them: running ones first, then
 * finished ones, newest first in each. Fills @order with indexes into
 * app->jobs; returns how many (app->njobs).
 */
size_t ui_jobs_order(struct ui_app *app, size_t order[UI_JOBS_MAX]);
/* Seconds job @j has run (to now, or to its end when done). */
double ui_job_elapsed(struct ui_job *j);
/* Ask every job to stop (they end INCOMPLETE) and wait for them. */
void ui_jobs_stop_all(struct ui_app *app);
/* Wake the UI loop (any thread, signal handlers too). */
void ui_wake(int fd, char why);

/* --- progress.c --- */
/* The whole job as the dashboard shows it. */
struct ui_whole {
	double frac;		/* of the whole job (every pass and verification), 0..1 */
	double done, total;	/* bytes moved and to move, all phases */
	double rate;		/* bytes per second over the whole job so far; 0 unknown */
	double eta;		/* seconds to the end of the whole job, <0 unknown */
	double pass_frac;	/* of the current phase (the snapshot's pass), 0..1 */
};
/*
 * From @p, the latest snapshot of a job on a @size-byte medium verified as
 * @verify, @elapsed seconds after it started: the whole job's progress.
 */
void ui_progress_whole(const struct wiper_progress *p, enum wiper_verify_mode verify,
		       uint64_t size, double elapsed, struct ui_whole *out);

/* --- cert-hook.c --- */
/*
 * Issue the certificate for a finished job into @ledger (the one the job
 * was noted in) with the fields of @rec. A medium that did not PASS is
 * never certified for reuse: its destination becomes destruction, the
 * planned one named in the details. Called on the job's thread. Returns 0
 * with the number in @no, or -errno with the reason: -ENOENT when @ledger
 * is not there, -ESRCH when it does not hold the job (another ledger).
 */
int ui_cert_issue(const struct ui_app *app, const char *ledger,
		  const struct wiper_job_result *res, const struct ui_record_fields *rec, char *no,
		  size_t nolen, char *err, size_t errlen);
/*
 * Record the physical destruction of @m (technique, details, the asset
 * number, owner and classification of @rec) into the ledger with the
 * session's operator and witness. Called on the UI thread. Returns 0 with
 * the number in @no, or -errno with the reason in @err.
 */
int ui_cert_destroy(const struct ui_app *app, const struct ui_medium *m, const char *technique,
		    const char *details, const struct ui_record_fields *rec, char *no,
		    size_t nolen, char *err, size_t errlen);
/*
 * Note the job of @res (medium and method known, not yet run) in the ledger
 * before its first write, so that if the station dies the next start
 * certifies it INCOMPLETE. Sets rec->job_id. Returns 0 or -errno with the
 * reason (the job must then not start: its certificate could not be issued).
 */
int ui_cert_job_begin(const struct ui_app *app, const struct wiper_job_result *res,
		      struct ui_record_fields *rec, char *err, size_t errlen);
/* Forget a noted job that never ran. */
void ui_cert_job_forget(const struct ui_app *app, struct ui_record_fields *rec);
/*
 * At start: certify INCOMPLETE the jobs a stopped station left open; the
 * session screen's ledger line then says so. Returns how many, or -errno.
 */
int ui_cert_recover(const struct ui_app *app);
/*
 * The station name the ledger's chain already carries (its certificate
 * numbers begin with it) into @buf: 0, 1 when the ledger is not there or
 * holds no single station's chain, or -errno.
 */
int ui_cert_chain_station(const struct ui_app *app, char *buf, size_t len);
/*
 * The 保密 rules for the fields of @rec with the session's people
 * (certs/policy.h), before any medium is touched: 0, or -EINVAL with the rule
 * in @err. The classification in @rec is put in its one spelling.
 */
int ui_cert_policy_check(const struct ui_app *app, struct ui_record_fields *rec, char *err,
			 size_t errlen);
/* Forget the cached ledger status (after a new record). */
void ui_cert_ledger_status_reset(void);
/* Ledger status line for the session screen ("12 records, head 3fa2…"). */
void ui_cert_ledger_status(const struct ui_app *app, char *buf, size_t len);

/* --- text.c --- */
/* Format into @buf; a line cut short ends in "…" so nobody mistakes it for whole. */
void ui_cut(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* --- spawn.c --- */
/*
 * Run @argv (argv[0] looked up in PATH; no shell) with stdin from /dev/null,
 * collecting stdout and stderr into @out (last bytes kept, NUL-terminated).
 * Gives up after @timeout_ms (the child is killed). Returns the exit status
 * (0..255), or -errno when it could not run (-ENOENT: not installed,
 * -ETIMEDOUT).
 */
int ui_spawn(const char *const argv[], char *out, size_t outlen, int timeout_ms);

#define UI_PROCS_MAX 4
struct pollfd;
/* Called on the UI thread when a background helper ended: @rc as ui_spawn() returns. */
typedef void (*ui_proc_done_fn)(struct ui_app *app, int rc, const char *out, void *arg);
/*
 * Start @argv in the background (as ui_spawn, killed after @timeout_ms);
 * @done gets its outcome from ui_procs_service(). Returns 0, -EBUSY when
 * UI_PROCS_MAX helpers run already, or -errno when it could not start
 * (@done is then not called).
 */
int ui_proc_start(const char *const argv[], int timeout_ms, ui_proc_done_fn done, void *arg);
/* The helpers' output pipes to poll, into @pfd (at most @max). Returns how many. */
size_t ui_procs_pollfds(struct pollfd *pfd, size_t max);
/* Milliseconds until a helper needs looking at, or -1 when none runs. */
int ui_procs_timeout(void);
/* Read the helpers' output; call the callbacks of those that ended. True if any did. */
bool ui_procs_service(struct ui_app *app);
/* Give running helpers @grace_ms to end, then kill them (on exit). */
void ui_procs_stop_all(int grace_ms);

/* --- print.c --- */
/*
 * Print the PDF at @path (named @what on the status line) in the background:
 * to the chosen printer, else the system default (lpstat -d), with lp. The
 * status line says "printing…" now and the outcome later; with no printer it
 * says so (the PDF is saved already). @note is appended to the outcome.
 * Returns 0 when started, -EBUSY while another print is under way (the
 * status line says so).
 */
int ui_print_start(struct ui_app *app, const char *what, const char *path, const char *note);
/* Is a print (or a printer query) under way? */
bool ui_print_busy(void);
/* Learn in the background how many CUPS queues there are (app->printers). */
void ui_print_probe(struct ui_app *app);
/* Choose the next CUPS queue (lpstat -e, in the background): default, then each queue. */
void ui_print_next_printer(struct ui_app *app);

/* --- unfreeze.c --- */
/* Is @m security- or sanitize-frozen? */
bool ui_medium_frozen(const struct ui_medium *m);
/*
 * Unfreeze by suspend: check the machine can suspend to RAM ("deep" in
 * /sys/power/mem_sleep), run rtcwake -m mem -s 5, then re-identify every
 * medium. Returns 0 with the outcome in @msg, or -errno with the reason why
 * it could not (in words for the technician) in @msg.
 */
int ui_unfreeze(struct ui_app *app, char *msg, size_t msglen);
/* Rescan, identifying every medium afresh (after a suspend). */
int ui_media_reidentify(struct ui_app *app);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The station's options on the kernel command line. See bootopts.h. */
#include "config.h"

#include "ui-ncurses/station/bootopts.h"
#include "wiper/base/hexdigit.h"
#include "wiper/base/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum kind { K_METHOD, K_NAME, K_DELAY, K_AFTER, K_MARKER, K_LANG, K_CUSTODY, K_FLAG };

enum opt_id { O_AUTO, O_OPERATOR, O_WITNESS, O_DELAY, O_AFTER, O_MARKER, O_LANG, O_CUSTODY, O_SERIAL,
	      O_N };

static const struct opt {
	const char *key;
	enum kind kind;
	const char *want;	/* for messages */
} opts[O_N] = {
	[O_AUTO] = { "tabula.auto", K_METHOD, "purge or clear" },
	[O_OPERATOR] = { "tabula.operator", K_NAME, "a name, '_' or %20 for spaces" },
	[O_WITNESS] = { "tabula.witness", K_NAME, "a name, '_' or %20 for spaces" },
	[O_DELAY] = { "tabula.auto.delay", K_DELAY, "seconds, 0 to 3600" },
	[O_AFTER] = { "tabula.auto.after", K_AFTER, "poweroff or wait" },
	[O_MARKER] = { "tabula.marker", K_MARKER,
		       "a serial port such as /dev/ttyS1 (ttyS, ttyUSB, ttyACM, ttyAMA or hvc)" },
	[O_LANG] = { "tabula.lang", K_LANG, "en or zh" },
	[O_CUSTODY] = { "tabula.custody", K_CUSTODY,
			"file (demo key-file custody on a PC without a TPM) or tpm" },
	[O_SERIAL] = { "tabula.serial", K_FLAG, "" },
};

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * White space as the kernel's isspace() sees it on the command line, but
 * for byte 0xA0 (Latin-1 NBSP): it ends many UTF-8 characters (张 is E5 BC
 * A0), and a name typed in UTF-8 must stay one word.
 */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* @n bytes of @v as printable ASCII ('?' for anything else), at most 40, into @out[48]. */
static void shown(const char *v, size_t n, char out[48])
{
	size_t i;

	for (i = 0; i < n && i < 40; i++)
		out[i] = v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '?';
	if (i < n)
		memcpy(out + i, "...", 4);
	else
		out[i] = '\0';
}

/*
 * Length of the UTF-8 character at @s (at most @n bytes), or 0 when it is
 * not valid UTF-8 or is a control character (C0, DEL, C1).
 */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t l = wiper_utf8_len(s, n, &cp);

	if (l == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 0;
	return l;
}

int ui_bootopts_name(const char *in, size_t inlen, char *out, size_t outlen, char *err,
		     size_t errlen)
{
	size_t i, n = 0, start, end, step;

	if (outlen == 0)
		return fail(err, errlen, "no room for the name");
	for (i = 0; i < inlen; i++) {
		int c = (unsigned char)in[i];

		if (c == '_') {
			c = ' ';
		} else if (c == '%') {
			int hi = -1, lo = -1;

			if (i + 2 < inlen) {
				hi = wiper_hex_digit(in[i + 1]);
				lo = wiper_hex_digit(in[i + 2]);
			}
			if (hi < 0 || lo < 0)
				return fail(err, errlen, "'%%' in the name must be followed by two hex"
					    " digits (%%20 is a space)");
			c = hi << 4 | lo;
			i += 2;
		}
		if (n + 1 >= outlen)
			return fail(err, errlen, "the name is longer than %zu bytes", outlen - 1);
		out[n++] = (char)c;
	}
	out[n] = '\0';
	for (i = 0; i < n; i += step) {
		step = utf8_char((const unsigned char *)out + i, n - i);
		if (step == 0)
			return fail(err, errlen, "the name holds a control character or is not UTF-8"
				    " (byte %zu once decoded)", i + 1);
	}
	for (start = 0; start < n && out[start] == ' '; start++)
		;
	for (end = n; end > start && out[end - 1] == ' '; end--)
		;
	if (start == end)
		return fail(err, errlen, "the name is empty");
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
	return 0;
}

/* Copy a value take() checked (so it fits; an empty string if it ever did not). */
static void put(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = 0;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Is @v (length @n) one of the NULL-ended words in @set? */
static bool one_of(const char *v, size_t n, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == n && memcmp(*set, v, n) == 0)
			return true;
	return false;
}

/* Is @v "/dev/" + a serial device name + 1 to 3 digits? */
static bool serial_dev(const char *v, size_t n)
{
	static const char *const pfx[] = { "ttyS", "ttyUSB", "ttyACM", "ttyAMA", "hvc", NULL };
	const char *const *p;
	size_t i, d;

	if (n < 6 || memcmp(v, "/dev/", 5) != 0)
		return false;
	for (p = pfx; *p; p++) {
		size_t pl = strlen(*p);

		if (n <= 5 + pl || memcmp(v + 5, *p, pl) != 0)
			continue;
		d = n - 5 - pl;
		if (d > 3)
			return false;
		for (i = 5 + pl; i < n; i++)
			if (v[i] < '0' || v[i] > '9')
				return false;
		return true;
	}
	return false;
}

/*
 * Check one option's value and put it, normalised, into @out. @has_val:
 * whether the word had an '='.
 */
static int take(const struct opt *o, bool has_val, const char *v, size_t n, char *out,
		size_t outlen, char *err, size_t errlen)
{
	static const char *const methods[] = { "purge", "clear", NULL };
	static const char *const afters[] = { "poweroff", "wait", NULL };
	static const char *const langs[] = { "en", "zh", NULL };
	static const char *const custodies[] = { "tpm", "file", NULL };
	char why[160], got[48];
	unsigned long val = 0;
	size_t i;

	if (o->kind == K_FLAG) {
		snprintf(out, outlen, "1");	/* any value, as systemd's condition */
		return 0;
	}
	if (!has_val)
		return fail(err, errlen, "%s needs a value: %s=%s", o->key, o->key, o->want);
	switch (o->kind) {
	case K_METHOD:
	case K_AFTER:
	case K_LANG:
	case K_CUSTODY:
		if (!one_of(v, n, o->kind == K_METHOD ? methods : o->kind == K_AFTER ? afters :
				  o->kind == K_LANG ? langs : custodies))
			break;
		snprintf(out, outlen, "%.*s", (int)n, v);
		return 0;
	case K_NAME:
		if (ui_bootopts_name(v, n, out, outlen, why, sizeof(why)) == 0)
			return 0;
		return fail(err, errlen, "%s: %s", o->key, why);
	case K_DELAY:
		if (n == 0 || n > 4)
			break;
		for (i = 0; i < n; i++) {
			if (v[i] < '0' || v[i] > '9')
				break;
			val = val * 10 + (unsigned long)(v[i] - '0');
		}
		if (i < n || val > UI_BOOT_DELAY_MAX)
			break;
		snprintf(out, outlen, "%lu", val);
		return 0;
	case K_MARKER:
		if (!serial_dev(v, n))
			break;
		snprintf(out, outlen, "%.*s", (int)n, v);
		return 0;
	case K_FLAG:
		break;
	}
	shown(v, n, got);
	return fail(err, errlen, "%s=%s: want %s", o->key, got, o->want);
}

/* Append "unknown boot option KEY ignored" to the warnings, KEY shown safely. */
static void warn_unknown(struct ui_bootopts *o, const char *key, size_t n)
{
	size_t have = strlen(o->warnings);
	char k[48];

	shown(key, n, k);
	if (have + strlen(k) + 40 >= sizeof(o->warnings))
		return;
	snprintf(o->warnings + have, sizeof(o->warnings) - have, "%sunknown boot option %s ignored",
		 have ? "; " : "", k);
}

int ui_bootopts_parse(const char *line, size_t len, struct ui_bootopts *o, char *err,
		      size_t errlen)
{
	char vals[O_N][UI_BOOT_NAME], cur[UI_BOOT_NAME], key[64];
	bool seen[O_N] = { false }, bad[O_N] = { false };
	size_t pos = 0;
	int rc, id, first = 0;

	memset(o, 0, sizeof(*o));
	snprintf(o->after, sizeof(o->after), "poweroff");
	snprintf(o->marker, sizeof(o->marker), "/dev/ttyS1");
	if (len > UI_BOOT_LINE_MAX)
		return fail(err, errlen, "the kernel command line is longer than %d bytes",
			    UI_BOOT_LINE_MAX);
	if (len && memchr(line, '\0', len))
		return fail(err, errlen, "the kernel command line holds a NUL byte");
	if (len && line[len - 1] == '\n')
		len--;		/* /proc/cmdline's own line end, not part of a value */
	for (;;) {
		const char *w, *eq, *v;
		size_t wn, kn, vn, i;
		bool q = false, quoted;

		while (pos < len && is_space(line[pos]))
			pos++;
		if (pos >= len)
			break;
		w = line + pos;
		while (pos < len && (q || !is_space(line[pos]))) {
			if (line[pos] == '"')
				q = !q;
			pos++;
		}
		wn = (size_t)(line + pos - w);
		/* As the kernel's next_arg(): a quote opening the word is dropped ... */
		quoted = w[0] == '"';
		if (quoted) {
			w++;
			wn--;
		}
		/* ... the key runs to the first '=' ... */
		eq = memchr(w, '=', wn);
		for (i = 0, kn = 0; w + i < (eq ? eq : w + wn); i++)
			if (kn < sizeof(key) - 1)
				key[kn++] = w[i];
		/* ... and the quote closing a quoted word or value goes too. */
		v = eq ? eq + 1 : w + wn;
		vn = eq ? (size_t)(w + wn - v) : 0;
		if (vn && v[0] == '"') {
			v++;
			vn--;
			quoted = true;
		}
		if (quoted && eq && vn && v[vn - 1] == '"')
			vn--;
		else if (quoted && !eq && kn && key[kn - 1] == '"')
			kn--;
		key[kn] = '\0';
		if (!eq && strcmp(key, "--") == 0)
			break;		/* the rest is for init */
		if (kn < 7 || memcmp(key, "tabula.", 7) != 0)
			continue;
		for (id = 0; id < O_N; id++)
			if (strcmp(key, opts[id].key) == 0)
				break;
		if (id == O_N && kn >= 12 && memcmp(key, "tabula.auto.", 12) == 0) {
			char k[48];

			/* A misspelt delay must not turn into an erase without countdown. */
			shown(key, kn, k);
			if (!first)
				first = fail(err, errlen, "%s: no such option of unattended mode (it"
					     " has tabula.auto.delay and tabula.auto.after)", k);
			continue;
		}
		if (id == O_N) {
			warn_unknown(o, key, kn);
			continue;
		}
		/* After a wrong option, read on: the marker still tells where to say so. */
		rc = take(&opts[id], eq != NULL, v, vn, cur, sizeof(cur), first ? NULL : err,
			  first ? 0 : errlen);
		if (rc == 0 && seen[id] && strcmp(vals[id], cur) != 0)
			rc = fail(first ? NULL : err, first ? 0 : errlen, "%s is given twice, with"
				  " different values; say it once", opts[id].key);
		if (rc) {
			bad[id] = true;
			first = first ? first : rc;
			continue;
		}
		memcpy(vals[id], cur, sizeof(cur));
		seen[id] = true;
	}
	/* Where and how a failure is reported hold even when another option is wrong. */
	if (seen[O_MARKER] && !bad[O_MARKER])
		put(o->marker, sizeof(o->marker), vals[O_MARKER]);
	if (seen[O_AFTER] && !bad[O_AFTER])
		put(o->after, sizeof(o->after), vals[O_AFTER]);
	if (first)
		return first;
	if (seen[O_AUTO])
		put(o->method, sizeof(o->method), vals[O_AUTO]);
	if (seen[O_OPERATOR])
		put(o->operator_, sizeof(o->operator_), vals[O_OPERATOR]);
	if (seen[O_WITNESS])
		put(o->witness, sizeof(o->witness), vals[O_WITNESS]);
	if (seen[O_DELAY])
		sscanf(vals[O_DELAY], "%u", &o->delay);
	if (seen[O_LANG])
		put(o->lang, sizeof(o->lang), vals[O_LANG]);
	if (seen[O_CUSTODY])
		put(o->custody, sizeof(o->custody), vals[O_CUSTODY]);
	o->serial = seen[O_SERIAL];
	return 0;
}

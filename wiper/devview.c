/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/devview.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

void wiper_devview_init(struct wiper_devview *v)
{
	memset(v, 0, sizeof(*v));
}

/* Free an array of key/value pairs. */
static void kv_free(struct wiper_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

/* Free an array of strings. */
static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void wiper_devview_done(struct wiper_devview *v)
{
	size_t i;

	if (v == NULL)
		return;
	kv_free(v->props, v->nprops);
	kv_free(v->attrs, v->nattrs);
	strv_free(v->holders, v->nholders);
	for (i = 0; i < v->nparts; i++) {
		kv_free(v->parts[i].attrs, v->parts[i].nattrs);
		strv_free(v->parts[i].holders, v->parts[i].nholders);
	}
	free(v->parts);
	memset(v, 0, sizeof(*v));
}

/* Find @key in a key/value array. */
static const char *kv_get(const struct wiper_kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].val;
	return NULL;
}

const char *wiper_devview_prop(const struct wiper_devview *v, const char *key)
{
	return kv_get(v->props, v->nprops, key);
}

const char *wiper_devview_attr(const struct wiper_devview *v, const char *key)
{
	return kv_get(v->attrs, v->nattrs, key);
}

/* Append a copy of key=val. */
static int kv_add(struct wiper_kv **kv, size_t *n, const char *key, const char *val)
{
	struct wiper_kv *nkv = realloc(*kv, (*n + 1) * sizeof(**kv));

	if (nkv == NULL)
		return -ENOMEM;
	*kv = nkv;
	nkv[*n].key = strdup(key);
	nkv[*n].val = strdup(val);
	if (nkv[*n].key == NULL || nkv[*n].val == NULL) {
		free(nkv[*n].key);
		free(nkv[*n].val);
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

/* Append a copy of @s. */
static int strv_add(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(s);
	if (nv[*n] == NULL)
		return -ENOMEM;
	(*n)++;
	return 0;
}

int wiper_devview_add_prop(struct wiper_devview *v, const char *key, const char *val)
{
	return kv_add(&v->props, &v->nprops, key, val);
}

int wiper_devview_add_attr(struct wiper_devview *v, const char *key, const char *val)
{
	return kv_add(&v->attrs, &v->nattrs, key, val);
}

int wiper_devview_add_holder(struct wiper_devview *v, const char *name)
{
	return strv_add(&v->holders, &v->nholders, name);
}

struct wiper_part_view *wiper_devview_add_part(struct wiper_devview *v, const char *name,
					       dev_t devnum)
{
	struct wiper_part_view *np = realloc(v->parts, (v->nparts + 1) * sizeof(*np));

	if (np == NULL)
		return NULL;
	v->parts = np;
	np = &v->parts[v->nparts++];
	memset(np, 0, sizeof(*np));
	snprintf(np->name, sizeof(np->name), "%s", name);
	np->devnum = devnum;
	return np;
}

int wiper_part_view_add_holder(struct wiper_part_view *p, const char *name)
{
	return strv_add(&p->holders, &p->nholders, name);
}

/* Parse "M:m" into a dev_t. */
static int parse_devnum(const char *s, dev_t *out)
{
	unsigned ma, mi;
	char tail;

	if (sscanf(s, "%u:%u%c", &ma, &mi, &tail) != 2)
		return -EINVAL;
	*out = makedev(ma, mi);
	return 0;
}

/* Find a partition by name. */
static struct wiper_part_view *find_part(struct wiper_devview *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nparts; i++)
		if (strcmp(v->parts[i].name, name) == 0)
			return &v->parts[i];
	return NULL;
}

/* Split "key=value" in place; returns value or NULL. */
static char *split_eq(char *s)
{
	char *eq = strchr(s, '=');

	if (eq == NULL)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

/* Apply one line of the captured format to @v. */
static int parse_line(struct wiper_devview *v, char *line)
{
	char *arg, *val;

	if (strncmp(line, "node ", 5) == 0) {
		if (strlen(line + 5) >= sizeof(v->node))
			return -EINVAL;
		memcpy(v->node, line + 5, strlen(line + 5) + 1);
		return 0;
	}
	if (strncmp(line, "syspath ", 8) == 0) {
		if (strlen(line + 8) >= sizeof(v->syspath))
			return -EINVAL;
		memcpy(v->syspath, line + 8, strlen(line + 8) + 1);
		return 0;
	}
	if (strncmp(line, "devnum ", 7) == 0)
		return parse_devnum(line + 7, &v->devnum);
	if (line[0] == 'P' && line[1] == ' ') {
		val = split_eq(line + 2);
		return val ? wiper_devview_add_prop(v, line + 2, val) : -EINVAL;
	}
	if (line[0] == 'A' && line[1] == ' ') {
		val = split_eq(line + 2);
		return val ? wiper_devview_add_attr(v, line + 2, val) : -EINVAL;
	}
	if (line[0] == 'H' && line[1] == ' ')
		return line[2] ? wiper_devview_add_holder(v, line + 2) : -EINVAL;
	if (line[0] == 'S' && line[1] == ' ') {
		dev_t dn;

		arg = strchr(line + 2, ' ');
		if (arg == NULL)
			return -EINVAL;
		*arg++ = '\0';
		if (parse_devnum(arg, &dn) < 0)
			return -EINVAL;
		return wiper_devview_add_part(v, line + 2, dn) ? 0 : -ENOMEM;
	}
	if ((line[0] == 'S') && (line[1] == 'A' || line[1] == 'H') && line[2] == ' ') {
		struct wiper_part_view *p;

		arg = strchr(line + 3, ' ');
		if (arg == NULL)
			return -EINVAL;
		*arg++ = '\0';
		p = find_part(v, line + 3);
		if (p == NULL)
			return -EINVAL;
		if (line[1] == 'H')
			return wiper_part_view_add_holder(p, arg);
		val = split_eq(arg);
		return val ? kv_add(&p->attrs, &p->nattrs, arg, val) : -EINVAL;
	}
	return -EINVAL;
}

int wiper_devviews_parse(const char *text, struct wiper_devview **out, char *err, size_t errlen)
{
	struct wiper_devview *views = NULL, *cur = NULL;
	size_t n = 0, lineno = 0;
	const char *p = text;
	char line[4096];
	int rc = 0;

	*out = NULL;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		lineno++;
		if (len >= sizeof(line)) {
			rc = -EINVAL;
			snprintf(err, errlen, "line %zu: too long", lineno);
			goto out;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		/* Advance before trimming: a last line of blanks must still end the loop. */
		p = nl ? nl + 1 : p + len;
		while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = '\0';

		if (len == 0 || line[0] == '#')
			continue;
		if (line[0] == '[') {
			struct wiper_devview *nv;

			if (line[len - 1] != ']' || len < 3 || len - 2 >= sizeof(cur->name)) {
				rc = -EINVAL;
				snprintf(err, errlen, "line %zu: bad section header", lineno);
				goto out;
			}
			nv = realloc(views, (n + 1) * sizeof(*nv));
			if (nv == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			views = nv;
			cur = &views[n++];
			wiper_devview_init(cur);
			memcpy(cur->name, line + 1, len - 2);
			cur->name[len - 2] = '\0';
			continue;
		}
		if (cur == NULL) {
			rc = -EINVAL;
			snprintf(err, errlen, "line %zu: entry before the first [device]", lineno);
			goto out;
		}
		rc = parse_line(cur, line);
		if (rc < 0) {
			snprintf(err, errlen, "line %zu: cannot parse '%s'", lineno, line);
			goto out;
		}
	}
out:
	if (rc < 0) {
		wiper_devviews_free(views, n);
		return rc;
	}
	*out = views;
	return (int)n;
}

void wiper_devviews_free(struct wiper_devview *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wiper_devview_done(&v[i]);
	free(v);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What record.c, record-job.c and record-codec.c share. Private to libcerts. */
#ifndef CERTS_RECORD_IMPL_H
#define CERTS_RECORD_IMPL_H

#include <stddef.h>

/* The words of enum cert_result, cert_kind and cert_dest, in their order. */
extern const char *const cert_result_names[4];
extern const char *const cert_kind_names[2];
extern const char *const cert_dest_names[6];

/* Index of @s in @names (@n of them), or -1. */
int cert_name_index(const char *const *names, size_t n, const char *s);
/* Copy @src into @dst (@len bytes); 1 when it had to be cut, else 0. */
int cert_scopy(char *dst, size_t len, const char *src);

#endif

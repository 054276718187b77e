/* output.h - renderers of a struct report: text for people (output_text.c)
 * and a jansson JSON tree for programs (output_json.c). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKMEM_OUTPUT_H
#define SOCKMEM_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

#include "report.h"
#include "report_trace.h"

struct output_opts {
	bool color;
	bool exact_bytes;	/* bytes as exact integers instead of KiB/MiB/GiB */
};

void output_text_show(FILE *f, const struct report *r, const struct output_opts *o);

/* Shared by the text and the live view (output_tui.c). */
/* A byte count in a table column: bare with exact, else KiB/MiB/GiB. */
void output_text_column_bytes(char *dst, size_t n, uint64_t b, bool exact);
/* A change: "+72.0 KiB", "-512 B", "0 B" (exact: "+73728", "0"). */
void output_text_change_bytes(char *dst, size_t n, int64_t b, bool exact);
/* "300 ms", "45 s", "2.5 min", "3.1 h", "2.0 days" */
void output_text_duration(char *dst, size_t n, double s);
/* An escaped comm cut to width at an escape's boundary ('~' marks it), with
 * " (+N sharing)" when N other processes hold its sockets too. */
void output_text_process_name(char *dst, size_t n, const char *comm, uint32_t others, int width);
/* A group's name for BY_PROCESS ("PID comm", PID 7 wide), BY_PORT,
 * BY_PEER_PORT and BY_STATE; "" for the others. */
void output_text_group_name(char *dst, size_t n, enum sockets_by by, const struct top_row *w);
/* Prometheus text exposition format 0.0.4. */
void output_prom_show(FILE *f, const struct report *r);

/* The JSON document for "show" (envelope included).  NULL on allocation failure. */
json_t *output_json_show(const struct report *r);
/* Envelope shared by every command: schema_version, sockmem_version, command. */
json_t *output_json_envelope(const char *command);
/* Write a JSON document and a newline; returns 0 or -EIO. */
int output_json_dump(FILE *f, json_t *doc);
/* The same on one line (NDJSON). */
int output_json_dump_line(FILE *f, json_t *doc);

/* sockmem top */
void output_text_top(FILE *f, const struct report_top *t, const struct output_opts *o);
json_t *output_json_top(const struct report_top *t);
/* --by cgroup or process: the rows as series (top refuses the others) */
void output_prom_top(FILE *f, const struct report_top *t);

/* sockmem watch: the terminal frame, the NDJSON document, the exposition
 * (show's plus sockmem's own output metrics) */
/* The terminal for a view redrawn in place: the alternate screen with the
 * cursor hidden, cleared before each frame, restored on the way out. */
enum screen_op { SCREEN_ENTER, SCREEN_CLEAR, SCREEN_LEAVE };
void output_text_screen(FILE *f, enum screen_op op);
/* q_quits: the header says q quits (stdin is the terminal) */
void output_text_watch(FILE *f, const struct report_sample *s, double every_s, bool color,
		       bool q_quits);
/* Text (buf, len) onto a terminal of cols x rows: each line cut at cols
 * columns (escape sequences take none, a UTF-8 character one), never
 * wrapped, and at most rows lines, the last without its newline so that
 * the screen never scrolls (the header stays).  cols or rows 0: no limit. */
void output_text_fit(FILE *f, const char *buf, size_t len, int cols, int rows);
json_t *output_json_sample(const struct report_sample *s);
void output_prom_sample(FILE *f, const struct report_sample *s);

/* sockmem simulate */
void output_text_simulate(FILE *f, const struct report_sim *s, const struct output_opts *o);
json_t *output_json_simulate(const struct report_sim *s);

/* sockmem advise: findings as text, as a sysctl.d file, as JSON */
struct report_advise;
/* The findings as sockmem_finding{id,severity,scope,subject} 1 and their
 * counts per severity (sockmem check --format prometheus). */
void output_prom_findings(FILE *f, const struct report_advise *a);
void output_text_advise(FILE *f, const struct report_advise *a, const struct output_opts *o);
void output_text_advise_sysctl(FILE *f, const struct report_advise *a);
json_t *output_json_advise(const struct report_advise *a);

/* sockmem snapshot */
void output_text_snapshot(FILE *f, const struct report_snapshot *s);
json_t *output_json_snapshot(const struct report_snapshot *s);

/* sockmem trace: the start, a line per event, the summary (text); the same
 * as one JSON object each (NDJSON) */
void output_text_trace_start(FILE *f, const struct report_trace *t, const struct output_opts *o);
void output_text_trace_line(FILE *f, const struct trace_line *l, const struct output_opts *o);
void output_text_trace_summary(FILE *f, const struct report_trace *t, const struct output_opts *o);
json_t *output_json_trace_start(const struct report_trace *t);
json_t *output_json_trace_line(const struct trace_line *l);
json_t *output_json_trace_summary(const struct report_trace *t);

json_t *output_json_u64(uint64_t v);
json_t *output_json_opt(struct opt o);
/* Bytes as a JSON string: valid UTF-8 as it is, any other byte U+FFFD. */
json_t *output_json_text(const char *s, size_t len);

#endif

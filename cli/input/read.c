/* The reading loop: records are read in 64 KiB chunks and handed over one
 * at a time, so memory stays flat however many rows a file has. */
#include "input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void input_progress_clear(reader *r)
{
	if (r->progress_shown) {
		fputs("\r\033[K", stderr);
		r->progress_shown = false;
	}
}

/* Shown only after a second, at most five times a second. */
static void input_progress_update(reader *r)
{
	struct timespec now;
	if (!r->progress || clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		return;
	if (seconds_between(&r->started, &now) < 1.0 ||
	    (r->progress_shown && seconds_between(&r->shown_at, &now) < 0.2))
		return;
	r->shown_at = now;
	fprintf(stderr, "\rrulebook: %s: %zu records", r->name, r->records);
	if (r->total)
		fprintf(stderr, " (%d%%)", (int)(r->bytes * 100 / r->total));
	fputs("\033[K", stderr);
	r->progress_shown = true;
}

bool input_grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	char *p = realloc(*buf, c);
	if (!p)
		return false;
	*buf = p;
	*cap = c;
	return true;
}

void input_fatal(reader *r, size_t line, size_t col, const char *msg)
{
	input_progress_clear(r);
	cli_print_position(stderr, r->name, line, col);
	fprintf(stderr, "%s\n", msg);
	r->status = CLI_TROUBLE;
	r->stop = true;
}

void input_out_of_memory(reader *r)
{
	input_fatal(r, 0, 0, "out of memory");
}

/* Offset of the first byte that is not valid UTF-8 (or is NUL); len if none. */
size_t input_bad_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t c;
		size_t n = cli_utf8_char(s + i, len - i, &c);
		if (!n || c == 0)
			return i;
		i += n;
	}
	return len;
}

void input_refuse(reader *r, size_t line, size_t col, const char *what, const char *msg)
{
	input_progress_clear(r);
	if (r->cell_ref[0]) {
		cli_put_clean(stderr, r->name);
		fprintf(stderr, ":%s: ", r->cell_ref);
	} else {
		cli_print_position(stderr, r->name, line, col);
	}
	if (what) {
		cli_put_clean(stderr, what);
		fputs(": ", stderr);
	}
	cli_put_clean(stderr, msg);
	fputc('\n', stderr);
	size_t need = r->reasons_len + (what ? strlen(what) + 2 : 0) + strlen(msg) + 3;
	if (!input_grow(&r->reasons, &r->reasons_cap, need))
		return;
	r->reasons_len += (size_t)snprintf(r->reasons + r->reasons_len,
					   r->reasons_cap - r->reasons_len, "%s%s%s%s",
					   r->reasons_len ? "; " : "", what ? what : "",
					   what ? ": " : "", msg);
}

/* The refused record as text for --rejects: the cells joined as a CSV line,
 * or the JSON record. */
static void reject_record(reader *r, FILE *fp)
{
	if (r->format != CLI_IN_CSV && r->format != CLI_IN_XLSX) {
		cli_csv_field(fp, r->rec_len ? r->rec : "");
		return;
	}
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	if (!m)
		return;
	for (size_t i = 0; i < r->nfields; i++) {
		if (i)
			fputc(',', m);
		cli_csv_field(m, r->fields[i].null ? "" : r->fields[i].data);
	}
	fclose(m);
	cli_csv_field(fp, line ? line : "");
	free(line);
}

void input_deliver(reader *r, bool ok, size_t line)
{
	cli_record rec = {ok, r->records, line};
	if (!ok) {
		input_progress_clear(r);
		input_count_refused();
		FILE *rej = cli_input_options_get()->rejects;
		if (rej) {
			char num[32];
			cli_csv_field(rej, r->name);
			snprintf(num, sizeof num, "%zu", line);
			fprintf(rej, ",%s,", num);
			cli_csv_field(rej, r->reasons_len ? r->reasons : "");
			fputc(',', rej);
			reject_record(r, rej);
			fputc('\n', rej);
		}
	}
	r->reasons_len = 0;
	if (r->reasons)
		r->reasons[0] = '\0';
	if (r->fn(&rec, r->payload))
		r->stop = true;
}

void input_clear_facts(reader *r)
{
	for (size_t i = 0; i < r->n; i++)
		rulebook_facts_clear(r->facts[i]);
}

/* ---- the reading loop ---- */

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		char c = s[n - k + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

static cli_input_format by_name(const char *path)
{
	if (has_suffix(path, ".csv") || has_suffix(path, ".tsv"))
		return CLI_IN_CSV;
	if (has_suffix(path, ".xlsx") || has_suffix(path, ".xlsm"))
		return CLI_IN_XLSX;
	if (has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson"))
		return CLI_IN_JSONL;
	if (has_suffix(path, ".json"))
		return CLI_IN_JSON;
	return CLI_IN_AUTO;
}

/* The first byte that is not white space decides: '[' or '{' is JSON. */
static cli_input_format sniff(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!input_json_space(data[i]))
			return data[i] == '[' || data[i] == '{' ? CLI_IN_JSON : CLI_IN_CSV;
	return CLI_IN_AUTO;
}

static void feed(reader *r, const char *data, size_t len)
{
	if (r->format == CLI_IN_CSV)
		input_csv_feed(r, data, len);
	else if (r->format == CLI_IN_JSON)
		input_json_feed(r, data, len);
	else
		input_jsonl_feed(r, data, len);
}

static void finish(reader *r)
{
	if (r->format == CLI_IN_CSV)
		input_csv_finish(r);
	else if (r->format == CLI_IN_JSON)
		input_json_finish(r);
	else if (r->format == CLI_IN_JSONL)
		input_jsonl_finish(r);
}

/* Decoded text: decide the format, then feed it. */
static void take(reader *r, const char *data, size_t len)
{
	if (r->format == CLI_IN_AUTO)
		r->format = sniff(data, len);
	if (r->format == CLI_IN_CSV && !r->csv_ready) {
		input_csv_init(r, data, len);
		r->csv_ready = true;
	}
	if (r->format == CLI_IN_AUTO) {
		r->line += input_count_newlines(data, len); /* only white space so far */
		return;
	}
	feed(r, data, len);
}

static void decoding_error(reader *r, const char *problem)
{
	char msg[256];
	if (r->dec.bad_at || strstr(problem, "not valid"))
		snprintf(msg, sizeof msg,
			 "byte %llu is not valid %s: name the file's encoding with --encoding "
			 "(utf-8, gb18030, utf-16le, utf-16be)",
			 (unsigned long long)r->dec.bad_at + 1, r->dec.name);
	else
		snprintf(msg, sizeof msg, "%s (%s)", problem, r->dec.name);
	input_fatal(r, r->line, 0, msg);
}

static void reader_free(reader *r)
{
	if (r->dec_ready)
		input_decoder_free(&r->dec);
	free(r->reasons);
	if (r->csv_ready)
		csv_free(&r->csv);
	input_free_columns(r);
	for (size_t i = 0; i < r->fields_cap; i++)
		free(r->fields[i].data);
	free(r->fields);
	free(r->rec);
	free(r->scratch);
	rulebook_error_free(r->err);
	if (r->fp && r->fp != stdin)
		fclose(r->fp);
}

int cli_read_records(const cli_source *src, const rulebook *const *rbs,
		     rulebook_facts *const *facts, size_t n, cli_record_fn fn, void *payload)
{
	reader r;
	memset(&r, 0, sizeof(r));
	r.name = input_display_name(src->path);
	r.rbs = rbs;
	r.facts = facts;
	r.n = n > MAX_BOOKS ? MAX_BOOKS : n;
	r.fn = fn;
	r.payload = payload;
	r.line = 1;
	r.status = CLI_OK;
	r.err = rulebook_error_new();
	r.ignore_unknown = src->ignore_unknown;
	r.max_record = rulebook_options_get_limit(cli_rulebook_options(), RULEBOOK_LIMIT_FILE_SIZE);
	for (size_t b = 0; b < r.n; b++)
		rulebook_facts_ignore_unknown(facts[b], r.ignore_unknown);
	char *buf = malloc(CHUNK);
	if (!r.err || !buf) {
		fprintf(stderr, "%s: out of memory\n", r.name);
		free(buf);
		reader_free(&r);
		return CLI_TROUBLE;
	}
	r.fp = input_open(src->path);
	if (!r.fp) {
		free(buf);
		reader_free(&r);
		return CLI_TROUBLE;
	}
	r.format = src->format != CLI_IN_AUTO ? src->format : by_name(src->path);
	struct stat st;
	if (fstat(fileno(r.fp), &st) == 0 && S_ISREG(st.st_mode))
		r.total = (uint64_t)st.st_size;
	r.progress = src->progress && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &r.started);

	const cli_input_options *io = cli_input_options_get();
	if (cli_input_options_check(NULL) != CLI_OK) {
		free(buf);
		reader_free(&r);
		return CLI_TROUBLE;
	}
	if (!input_decoder_init(&r.dec, io->encoding)) {
		fprintf(stderr, "%s: cannot read the encoding %s\n", r.name, io->encoding);
		free(buf);
		reader_free(&r);
		return CLI_TROUBLE;
	}
	r.dec_ready = true;
	bool eof = false;
	while (!r.stop && !eof) {
		/* read(2) rather than fread: records from a pipe are handled as
		 * they arrive, not when 64 KiB have accumulated. */
		ssize_t got = read(fileno(r.fp), buf, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			input_progress_clear(&r);
			fprintf(stderr, "%s: cannot read: %s\n", r.name, strerror(errno));
			r.status = CLI_TROUBLE;
			break;
		}
		eof = got == 0;
		r.bytes += (size_t)got;
		/* A zip archive: an Excel workbook, read whole. */
		if (r.bytes == (uint64_t)got &&
		    (r.format == CLI_IN_XLSX ||
		     (r.format == CLI_IN_AUTO && got >= 4 && memcmp(buf, "PK\3\4", 4) == 0))) {
			r.format = CLI_IN_XLSX;
			r.xlsx = true;
			input_xlsx_read(&r, buf, (size_t)got);
			break;
		}
		size_t len = 0;
		const char *problem = NULL;
		const char *data = input_decode(&r.dec, buf, (size_t)got, eof, &len, &problem);
		if (len)
			take(&r, data, len);
		if (problem && !r.stop)
			decoding_error(&r, problem);
		input_progress_update(&r);
	}
	if (!r.stop && r.status == CLI_OK && r.format != CLI_IN_XLSX)
		finish(&r);
	input_progress_clear(&r);
	free(buf);
	int status = r.status;
	reader_free(&r);
	return status;
}

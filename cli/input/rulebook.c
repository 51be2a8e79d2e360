/* Input: rulebook files, read whole and compiled. */
#include "input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

int cli_input_format_parse(const char *text, cli_input_format *out)
{
	static const struct {
		const char *name;
		cli_input_format format;
	} names[] = {{"csv", CLI_IN_CSV},     {"json", CLI_IN_JSON}, {"jsonl", CLI_IN_JSONL},
		     {"ndjson", CLI_IN_JSONL}, {"xlsx", CLI_IN_XLSX}, {"auto", CLI_IN_AUTO}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(text, names[i].name) == 0) {
			*out = names[i].format;
			return 0;
		}
	return -1;
}

const char *input_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Open path for reading ("-" is stdin); prints the error. */
FILE *input_open(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
	return fp;
}

/* ---- rulebooks ---- */

int cli_load_rulebook_text(const char *path, FILE *diag, rulebook **out, char **text,
			   size_t *text_len)
{
	*out = NULL;
	if (text)
		*text = NULL;
	/* A rulebook may be given by id (linan.enterprise): see cli.h. */
	char found[4096];
	path = cli_rulebook_path(path, found, sizeof found);
	if (!path)
		return CLI_TROUBLE;
	const char *name = input_display_name(path);
	FILE *fp = input_open(path);
	if (!fp)
		return CLI_TROUBLE;
	/* Read one byte past the size limit, so the library reports it. */
	const rulebook_options *opts = cli_rulebook_options();
	uint64_t limit = rulebook_options_get_limit(opts, RULEBOOK_LIMIT_FILE_SIZE);
	size_t len = 0, cap = 0;
	char *data = NULL;
	int status = CLI_OK;
	while (len <= limit) {
		if (len == cap) {
			size_t grown = cap ? cap * 2 : CHUNK;
			char *p = realloc(data, grown);
			if (!p) {
				fprintf(stderr, "%s: out of memory\n", name);
				status = CLI_TROUBLE;
				break;
			}
			data = p;
			cap = grown;
		}
		size_t want = cap - len;
		if (want > limit + 1 - len)
			want = (size_t)(limit + 1 - len);
		size_t n = fread(data + len, 1, want, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp)) {
				fprintf(stderr, "%s: cannot read: %s\n", name, strerror(errno));
				status = CLI_TROUBLE;
			}
			break;
		}
	}
	if (fp != stdin)
		fclose(fp);
	if (status == CLI_OK) {
		rulebook_error *err = rulebook_error_new();
		if (!err) {
			fprintf(stderr, "%s: out of memory\n", name);
			status = CLI_TROUBLE;
		} else if (rulebook_load_buffer(data, len, name, opts, out, err) != RULEBOOK_OK) {
			cli_print_errors(diag, err, name, "error");
			status = rulebook_error_status(err) == RULEBOOK_ERR_NOMEM ? CLI_TROUBLE
										  : CLI_FINDINGS;
		}
		rulebook_error_free(err);
	}
	if (status == CLI_OK && text) {
		*text = data;
		*text_len = len;
		return status;
	}
	free(data);
	return status;
}

int cli_load_rulebook(const char *path, FILE *diag, rulebook **out)
{
	return cli_load_rulebook_text(path, diag, out, NULL, NULL);
}

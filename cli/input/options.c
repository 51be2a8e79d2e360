/* The options every subcommand that reads records shares, and the exit
 * status that says records were refused. */
#include "input.h"

#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static cli_input_options opts = {NULL, 0, false, NULL, 1u << 20, 8u << 20, NULL, NULL, 0,
				  NULL, 1u << 30, 100000000u};
static size_t refused;

const cli_input_options *cli_input_options_get(void)
{
	return &opts;
}

void input_count_refused(void)
{
	refused++;
}

static int parse_bytes(const char *cmd, const char *name, const char *arg, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || arg[0] == '-')
	{
		cli_usage_error(cmd, "%s needs a positive number of bytes, not '%s'", name, arg);
		return -1;
	}
	*out = v;
	return 1;
}

static bool no_header;
static const char *command = "eval"; /* the subcommand whose options were read */

static void free_columns(void)
{
	for (size_t i = 0; i < opts.ncolumns; i++)
		free(opts.columns[i]);
	free(opts.columns);
	opts.columns = NULL;
	opts.ncolumns = 0;
}

/* --columns a,b,c: names separated by commas, none empty. */
static int parse_columns(const char *cmd, const char *arg)
{
	free_columns();
	size_t n = 1;
	for (const char *p = arg; *p; p++)
		n += *p == ',';
	opts.columns = calloc(n, sizeof(char *));
	if (!opts.columns) {
		fprintf(stderr, "rulebook %s: out of memory\n", cmd);
		return -1;
	}
	const char *p = arg;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(p, ",");
		if (len == 0) {
			free_columns();
			cli_usage_error(cmd, "--columns needs names separated by commas, not '%s'", arg);
			return -1;
		}
		opts.columns[i] = strndup(p, len);
		if (!opts.columns[i]) {
			free_columns();
			fprintf(stderr, "rulebook %s: out of memory\n", cmd);
			return -1;
		}
		opts.ncolumns++;
		p += len + (p[len] == ',');
	}
	return 1;
}

int cli_input_options_check(const char *cmd)
{
	cmd = cmd ? cmd : command;
	if (no_header != (opts.columns != NULL))
		return cli_usage_error(cmd, no_header ? "--no-header needs --columns NAME,..."
						      : "--columns goes with --no-header");
	return CLI_OK;
}

int cli_input_option(const char *cmd, int c, const char *arg)
{
	command = cmd;
	switch (c) {
	case CLI_OPT_ENCODING:
		if (cli_encoding_check(arg) < 0) {
			cli_usage_error(cmd, "unknown encoding '%s': use utf-8, gb18030, utf-16le or "
					     "utf-16be", arg);
			return -1;
		}
		opts.encoding = arg;
		return 1;
	case CLI_OPT_DELIMITER:
		if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0 || strcmp(arg, "\t") == 0)
			opts.delimiter = '\t';
		else if (strlen(arg) == 1 && strchr(",;|", arg[0]))
			opts.delimiter = arg[0];
		else {
			cli_usage_error(cmd, "unknown delimiter '%s': use ',', ';', '|' or '\\t'", arg);
			return -1;
		}
		return 1;
	case CLI_OPT_SKIP_BAD:
		opts.skip_bad = true;
		return 1;
	case CLI_OPT_REJECTS:
		if (opts.rejects)
			fclose(opts.rejects);
		opts.rejects = fopen(arg, "w");
		if (!opts.rejects) {
			fprintf(stderr, "rulebook %s: %s: cannot write: %s\n", cmd, arg, strerror(errno));
			return -1;
		}
		fputs("file,line,reason,record\n", opts.rejects);
		return 1;
	case CLI_OPT_MAX_CELL:
		return parse_bytes(cmd, "--max-cell", arg, &opts.max_cell);
	case CLI_OPT_MAX_ROW:
		return parse_bytes(cmd, "--max-row", arg, &opts.max_row);
	case CLI_OPT_ID:
		opts.id_column = arg;
		return 1;
	case CLI_OPT_NO_HEADER:
		no_header = true;
		return 1;
	case CLI_OPT_COLUMNS:
		return parse_columns(cmd, arg);
	case CLI_OPT_SHEET:
		opts.sheet = arg;
		return 1;
	case CLI_OPT_MAX_UNZIPPED:
		return parse_bytes(cmd, "--max-unzipped", arg, &opts.max_unzipped);
	case CLI_OPT_MAX_CELLS:
		return parse_bytes(cmd, "--max-cells", arg, &opts.max_cells);
	default:
		return 0;
	}
}

int cli_input_finish(const char *cmd, int status)
{
	free_columns();
	no_header = false;
	if (opts.rejects && fclose(opts.rejects) != 0) {
		fprintf(stderr, "rulebook %s: cannot write the rejects file\n", cmd);
		status = CLI_TROUBLE;
	}
	opts.rejects = NULL;
	if (refused && (status == CLI_OK || status == CLI_FINDINGS)) {
		fprintf(stderr, "rulebook %s: %zu record%s refused%s\n", cmd, refused,
			refused == 1 ? " was" : "s were",
			opts.skip_bad ? "" : " (exit status 3; --skip-bad ignores them)");
		if (!opts.skip_bad)
			status = CLI_REFUSED;
	}
	return status;
}

int cli_common_option(const char *cmd, char **argv, int c, const char *arg, cli_common *o)
{
	switch (c) {
	case 'd':
		if (cli_parse_date(cmd, arg, &o->as_of) < 0)
			return CLI_TROUBLE;
		o->have_date = true;
		return CLI_OK;
	case 'l':
		return cli_parse_lang(cmd, arg, &o->en) < 0 ? CLI_TROUBLE : CLI_OK;
	case 'i':
		if (cli_input_format_parse(arg, &o->input_format) < 0)
			return cli_usage_error(cmd, "unknown input format '%s': use csv, json or jsonl",
					       arg);
		return CLI_OK;
	case 'I':
		return cli_add_search_path(cmd, arg) < 0 ? CLI_TROUBLE : CLI_OK;
	case CLI_OPT_STRICT:
		o->strict = true;
		return CLI_OK;
	case CLI_OPT_IGNORE_UNKNOWN:
		o->ignore_unknown = true;
		return CLI_OK;
	default:
		break;
	}
	int handled = cli_input_option(cmd, c, arg);
	if (handled < 0)
		return CLI_TROUBLE;
	if (handled)
		return CLI_OK;
	return cli_bad_option(cmd, argv, optopt, c == ':');
}

void cli_common_finish(cli_common *o)
{
	if (!o->have_date)
		o->as_of = cli_today();
}

int cli_stdin_once(const char *cmd, int argc, char **argv)
{
	int uses = 0;
	for (int i = optind; i < argc; i++)
		uses += strcmp(argv[i], "-") == 0;
	if (uses > 1)
		return cli_usage_error(cmd, "stdin ('-') can be read only once");
	return CLI_OK;
}

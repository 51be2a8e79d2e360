/* rulebook: the command-line front end. Dispatches to a subcommand and
 * holds the option parsing shared by them. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef RULEBOOK_RULES_DIR
#define RULEBOOK_RULES_DIR ""
#endif

static const char usage_text[] =
	"Usage: rulebook COMMAND [OPTION]... [ARGUMENT]...\n"
	"Evaluate enterprises, projects and districts against policy rulebooks.\n"
	"\n"
	"Commands:\n"
	"  check    compile rulebooks; report errors and lint warnings\n"
	"  test     run the test cases written inside rulebooks\n"
	"  eval     evaluate records (CSV, JSON, JSON Lines) against a rulebook\n"
	"  explain  explain every verdict for one record\n"
	"  diff     compare the verdicts of two versions of a rulebook\n"
	"  monitor  targets against time progress, the most behind first\n"
	"  report   one HTML page of the results: classes, follow-up list, targets\n"
	"\n"
	"Options:\n"
	"  -h, --help     show this help and exit\n"
	"  -V, --version  show the version and exit\n"
	"\n"
	"'rulebook COMMAND --help' shows the options of a command.\n"
	"Exit status: 0 success, 1 findings (errors, failed tests, differences),\n"
	"2 usage error or unreadable input, 3 records of the data were refused.\n"
	"See rulebook(1) for details.\n";

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
	{"check", cli_check},     {"test", cli_test}, {"eval", cli_eval},
	{"explain", cli_explain}, {"diff", cli_diff}, {"monitor", cli_monitor},
	{"report", cli_report},
};

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "rulebook%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'rulebook%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return CLI_TROUBLE;
}

int cli_bad_option(const char *cmd, char **argv, int optopt_char, int missing_arg)
{
	const char *arg = argv[optind - 1];
	if (missing_arg)
		return cli_usage_error(cmd, "option '%s' needs a value", arg);
	if (optopt_char && strncmp(arg, "--", 2) != 0)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt_char);
	size_t n = strcspn(arg, "=");
	/* A known long option given a value it does not take. */
	if (optopt_char && arg[n] == '=')
		return cli_usage_error(cmd, "option '%.*s' takes no value", (int)n, arg);
	/* glibc reports both unknown and ambiguous long options this way. */
	return cli_usage_error(cmd, "unknown option '%.*s'", (int)n, arg);
}

int cli_parse_date(const char *cmd, const char *text, int32_t *out)
{
	if (rulebook_date_parse(text, strlen(text), out) == RULEBOOK_OK)
		return 0;
	cli_usage_error(cmd, "'%s' is not a date: write YYYY-MM-DD (a real calendar day)", text);
	return -1;
}

int32_t cli_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return 0;
	return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

int cli_parse_lang(const char *cmd, const char *text, bool *en)
{
	if (strcmp(text, "zh") == 0 || strcmp(text, "en") == 0) {
		*en = text[0] == 'e';
		return 0;
	}
	cli_usage_error(cmd, "unknown language '%s': use zh or en", text);
	return -1;
}

/* Options shared by every rulebook the command loads: the search path. */
static rulebook_options *load_options;
/* The -I directories in order (owned by argv), for rulebooks given by id. */
#define MAX_SEARCH_DIRS 64
static const char *search_dirs[MAX_SEARCH_DIRS];
static size_t nsearch_dirs;
static bool default_dir_added;

int cli_add_search_path(const char *cmd, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cli_usage_error(cmd, "search path '%s' is not a directory", dir);
		return -1;
	}
	if (nsearch_dirs == MAX_SEARCH_DIRS) {
		cli_usage_error(cmd, "more than %d search paths", MAX_SEARCH_DIRS);
		return -1;
	}
	if (!load_options)
		load_options = rulebook_options_new();
	if (!load_options || rulebook_options_add_search_path(load_options, dir) != RULEBOOK_OK) {
		fprintf(stderr, "rulebook %s: out of memory\n", cmd);
		return -1;
	}
	search_dirs[nsearch_dirs++] = dir;
	return 0;
}

const char *cli_rules_dir(void)
{
	return RULEBOOK_RULES_DIR;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const rulebook_options *cli_rulebook_options(void)
{
	/* The installed rulebooks come last in the search path of extends. The
	 * options are made only when there is something to put in them, so a
	 * run without -I and without installed rulebooks loads with defaults. */
	if (!default_dir_added) {
		default_dir_added = true;
		const char *dir = cli_rules_dir();
		if (dir[0] && is_dir(dir)) {
			if (!load_options)
				load_options = rulebook_options_new();
			if (load_options)
				(void)rulebook_options_add_search_path(load_options, dir);
		}
	}
	return load_options;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/<name>.yaml into buf; false when it does not fit. */
static bool join_yaml(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s.yaml", dir, name);
	return n > 0 && (size_t)n < size;
}

const char *cli_rulebook_path(const char *arg, char *buf, size_t size)
{
	size_t len = strlen(arg);
	bool is_id = len > 0 && len < size && !strchr(arg, '/') && arg[0] != '.' &&
		     !(len > 5 && strcmp(arg + len - 5, ".yaml") == 0) &&
		     !(len > 4 && strcmp(arg + len - 4, ".yml") == 0);
	if (strcmp(arg, "-") == 0 || !is_id || is_file(arg))
		return arg;
	char nested[4096];
	if (len >= sizeof nested)
		return arg;
	memcpy(nested, arg, len + 1);
	for (char *p = nested; *p; p++)
		if (*p == '.')
			*p = '/';
	const char *dir = cli_rules_dir();
	for (size_t i = 0; i <= nsearch_dirs; i++) {
		const char *d = i < nsearch_dirs ? search_dirs[i] : dir;
		if (!d[0])
			continue;
		if ((join_yaml(buf, size, d, arg) && is_file(buf)) ||
		    (join_yaml(buf, size, d, nested) && is_file(buf)))
			return buf;
	}
	/* The words an id is looked up as, cleaned of control characters. */
	cli_put_clean(stderr, arg);
	fputs(": cannot open: no such file, and no rulebook with this id (", stderr);
	cli_put_clean(stderr, arg);
	fputs(".yaml or ", stderr);
	cli_put_clean(stderr, nested);
	fputs(".yaml) in the search path (-I) or in ", stderr);
	cli_put_clean(stderr, dir[0] ? dir : "the installed rulebooks");
	fputs("\n", stderr);
	return NULL;
}

const char *cli_date_text(int32_t date, char *buf)
{
	uint32_t d = date > 0 ? (uint32_t)date : 0;
	snprintf(buf, 16, "%04u-%02u-%02u", (unsigned)(d / 10000 % 10000), (unsigned)(d / 100 % 100),
		 (unsigned)(d % 100));
	return buf;
}

void cli_warn_not_in_force(const char *path, const rulebook *rb, int32_t as_of)
{
	int32_t from = rulebook_in_force_from(rb), until = rulebook_in_force_until(rb);
	if ((!from || as_of >= from) && (!until || as_of <= until))
		return;
	char date[16];
	cli_put_clean(stderr, strcmp(path, "-") == 0 ? "<stdin>" : path);
	fprintf(stderr,
		": warning: the rulebook is not in force on %s, so every rule is not_in_force; "
		"choose a date with --as-of\n",
		cli_date_text(as_of, date));
}

static int version(void)
{
	printf("rulebook %s\n", RULEBOOK_VERSION);
	if (rulebook_version_number() != RULEBOOK_VERSION_NUMBER)
		printf("(built with library headers %s, running with library %s)\n",
		       RULEBOOK_VERSION, rulebook_version());
	return CLI_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return CLI_TROUBLE;
	}
	const char *first = argv[1];
	if (strcmp(first, "-h") == 0 || strcmp(first, "--help") == 0) {
		fputs(usage_text, stdout);
		return CLI_OK;
	}
	if (strcmp(first, "-V") == 0 || strcmp(first, "--version") == 0)
		return version();
	if (strcmp(first, "help") == 0) {
		if (argc < 3) {
			fputs(usage_text, stdout);
			return CLI_OK;
		}
		const command *c = find_command(argv[2]);
		if (!c)
			return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
		char help[] = "--help";
		char *args[] = {argv[2], help, NULL};
		return c->run(2, args);
	}
	if (first[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s' (options follow the command)", first);
	const command *c = find_command(first);
	if (!c)
		return cli_usage_error(NULL, "unknown command '%s'", first);
	int status = c->run(argc - 1, argv + 1);
	/* The subcommands that read records end with status 3 when some were
	 * refused. */
	if (strcmp(c->name, "eval") == 0 || strcmp(c->name, "monitor") == 0 ||
	    strcmp(c->name, "diff") == 0 || strcmp(c->name, "report") == 0)
		status = cli_input_finish(c->name, status);
	rulebook_options_free(load_options);
	load_options = NULL;
	nsearch_dirs = 0;
	default_dir_added = false;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "rulebook %s: cannot write the output\n", c->name);
		return CLI_TROUBLE;
	}
	return status;
}

/* Loads every rulebook (*.yaml) under the directories or files given on the
 * command line and runs its embedded test cases; prints each failure and a
 * closing "N passed, N failed" line. Exit status 1 when anything fails. */
#include <rulebook.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static size_t passed, failed, files;

static void run_file(const char *path)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	files++;
	if (rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK) {
		for (size_t i = 0; i < rulebook_error_count(err); i++)
			printf("%s:%u:%u: %s\n", rulebook_error_file(err, i) ? rulebook_error_file(err, i) : path,
			       rulebook_error_line(err, i), rulebook_error_column(err, i),
			       rulebook_error_message(err, i));
		failed++;
		rulebook_error_free(err);
		return;
	}
	rulebook_test_report *rep = NULL;
	rulebook_run_tests(rb, &rep, err);
	if (rep) {
		passed += rulebook_test_report_passed(rep);
		for (size_t i = 0; i < rulebook_test_report_failed(rep); i++) {
			printf("%s:%u: case '%s': %s: expected %s, got %s\n", path,
			       rulebook_test_report_line(rep, i), rulebook_test_report_case(rep, i),
			       rulebook_test_report_check(rep, i), rulebook_test_report_expected(rep, i),
			       rulebook_test_report_actual(rep, i));
			failed++;
		}
	} else {
		printf("%s: %s\n", path, rulebook_error_message(err, 0));
		failed++;
	}
	rulebook_test_report_free(rep);
	rulebook_free(rb);
	rulebook_error_free(err);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		printf("%s: cannot open\n", path);
		failed++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	DIR *d = opendir(path);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		char *full = malloc(len);
		char **grown = realloc(names, (n + 1) * sizeof(*names));
		if (!full || !grown) {
			free(full);
			break;
		}
		names = grown;
		snprintf(full, len, "%s/%s", path, e->d_name);
		names[n++] = full;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		struct stat s2;
		if (stat(names[i], &s2) == 0 && S_ISDIR(s2.st_mode))
			walk(names[i]);
		else if (l > 5 && strcmp(names[i] + l - 5, ".yaml") == 0)
			run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		walk(argv[i]);
	if (files == 0) {
		printf("no rulebooks found\n");
		return 1;
	}
	printf("%zu rulebooks\n%zu passed, %zu failed\n", files, passed, failed);
	return failed ? 1 : 0;
}

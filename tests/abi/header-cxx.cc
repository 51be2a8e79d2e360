// The public header must compile as C++ (extern "C" guards, no C-only syntax).
#include <rulebook.h>

int main()
{
	rulebook_error *err = rulebook_error_new();
	rulebook_error_free(err);
	return rulebook_version_number() == RULEBOOK_VERSION_NUMBER ? 0 : 1;
}

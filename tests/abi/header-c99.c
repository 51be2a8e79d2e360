/* The public header must compile as strict C99 and stay warning-free. */
#include <rulebook.h>

int main(void)
{
	return rulebook_version_number() == RULEBOOK_VERSION_NUMBER ? 0 : 1;
}

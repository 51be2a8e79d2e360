/* selftest.c */
typedef int rb_stub_selftest;

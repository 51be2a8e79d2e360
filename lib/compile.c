/* compile.c */
typedef int rb_stub_compile;

/* explain.c */
typedef int rb_stub_explain;

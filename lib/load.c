/* load.c */
typedef int rb_stub_load;

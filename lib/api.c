/* api.c */
typedef int rb_stub_api;

/* buf.c */
typedef int rb_stub_buf;

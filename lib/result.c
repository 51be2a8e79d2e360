/* result.c */
typedef int rb_stub_result;

/* eval.c */
typedef int rb_stub_eval;

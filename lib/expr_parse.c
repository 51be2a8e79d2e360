/* expr_parse.c */
typedef int rb_stub_expr_parse;

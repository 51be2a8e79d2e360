/* decimal.c */
typedef int rb_stub_decimal;

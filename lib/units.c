/* units.c */
typedef int rb_stub_units;

/* date.c */
typedef int rb_stub_date;
